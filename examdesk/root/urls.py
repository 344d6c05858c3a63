from django.urls import path

from examdesk.root import views

# No app_name: the home page is reversed as "home", as before it moved here.
urlpatterns = [
    path("", views.home, name="home"),
]
