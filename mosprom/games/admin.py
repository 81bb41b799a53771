from django.contrib import admin

from mosprom.games.models import Game, GameSeason, Round, Team, TeamMember


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0


@admin.register(GameSeason)
class GameSeasonAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "skipped_rule"]


@admin.register(Game)
class GameAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "format", "league", "capacity", "taken", "status"]
    list_filter = ["status", "format", "league", "season"]
    search_fields = ["title", "theme"]
    readonly_fields = ["taken"]
    inlines = [RoundInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "game", "captain", "status"]
    list_filter = ["status"]
    search_fields = ["name"]
    raw_id_fields = ["game", "captain"]
    readonly_fields = ["status"]
    inlines = [TeamMemberInline]
