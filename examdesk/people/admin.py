from django.contrib import admin

from examdesk.people.models import Candidate, Group, VocabularyTerm


@admin.register(VocabularyTerm)
class VocabularyTermAdmin(admin.ModelAdmin[VocabularyTerm]):
    list_display = ("vocabulary", "code", "label", "position", "is_active", "board")
    list_filter = ("vocabulary", "is_active", "board")
    list_editable = ("label", "position", "is_active")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin[Group]):
    list_display = ("name", "centre")
    search_fields = ("name", "centre__number")


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin[Candidate]):
    list_display = ("unique_id", "last_name", "first_name", "centre", "is_active")
    list_filter = ("is_active",)
    search_fields = ("unique_id", "last_name", "first_name", "centre__number")
    raw_id_fields = ("centre",)
    filter_horizontal = ("groups",)
