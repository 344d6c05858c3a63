from django.contrib import admin

from examdesk.centres.models import Board, BoardMembership, Centre, Invitation, Membership


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin[Board]):
    list_display = ("name", "time_zone")


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin[Centre]):
    list_display = ("number", "name", "kind", "country", "time_zone", "is_active")
    search_fields = ("number", "name")
    list_filter = ("kind", "is_active", "country")
    filter_horizontal = ("exam_centres",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "centre", "role")
    list_filter = ("role",)
    search_fields = ("user__email", "centre__number")
    raw_id_fields = ("user", "centre")


@admin.register(BoardMembership)
class BoardMembershipAdmin(admin.ModelAdmin[BoardMembership]):
    list_display = ("user", "board")
    raw_id_fields = ("user",)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("email", "centre", "role", "created_at", "expires_at", "accepted_at", "revoked_at")
    exclude = ("token_hash",)
    readonly_fields = ("email", "centre", "role", "invited_by", "expires_at", "accepted_at", "revoked_at")
