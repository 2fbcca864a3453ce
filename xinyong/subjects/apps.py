from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "xinyong.subjects"
    label = "subjects"
