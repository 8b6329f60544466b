"""Staff roles: the groups officers and clinic staff belong to, with only the permissions they need.

Each app that adds permissions for a role syncs the groups again in one of its migrations
(`sync_groups` skips permissions whose app is not migrated yet).
"""

DISTRICT_OFFICER = "Cán bộ BHXH cơ sở"
PROVINCE_OFFICER = "Cán bộ BHXH tỉnh"
CLINIC_STAFF = "Nhân viên cơ sở KCB"

# Entering and correcting medical visits with their cost lines (officers and clinic staff alike).
_VISIT_ENTRY = [
    "health_card.view_visit", "health_card.add_visit", "health_card.change_visit",
    "health_card.view_visitline", "health_card.add_visitline", "health_card.change_visitline",
    "health_card.delete_visitline",
]
_OFFICER = [
    "accounts.view_registration", "accounts.decide_registration", "accounts.view_person",
    "accounts.end_sessions_person",
    "participation.view_period", "participation.add_period", "participation.change_period",
    "benefits.view_benefitrecord", "benefits.add_benefitrecord", "benefits.change_benefitrecord",
    "benefits.view_salaryadjustment",
    "health_card.view_card", "health_card.add_card", "health_card.reissue_card", "health_card.view_cardcheck",
    "health_card.view_beneficiarygroup", "health_card.view_benefitlevel",
    "health_card.view_facilityapitoken", "health_card.add_facilityapitoken", "health_card.change_facilityapitoken",
    "lookup.view_medicalfacility",  # the clinic search of the card and API-token forms
    "lookup.view_employer",  # the employer search of the period form
    "public_services.view_filing", "public_services.process_filing",
    "public_services.view_feedback", "public_services.answer_feedback",
    *_VISIT_ENTRY,
]
GROUP_PERMISSIONS = {
    DISTRICT_OFFICER: _OFFICER,
    PROVINCE_OFFICER: _OFFICER,
    CLINIC_STAFF: [*_VISIT_ENTRY, "health_card.verify_card"],
}


def sync_groups(group_model, permission_model) -> dict:
    """Create the groups and set their permissions (models passed in so migrations can use it)."""
    groups = {}
    for name, labels in GROUP_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = [label.split(".", 1) for label in labels]
        permissions = [
            permission
            for permission in permission_model.objects.filter(codename__in=[codename for _app, codename in wanted])
            .select_related("content_type")
            if [permission.content_type.app_label, permission.codename] in wanted
        ]
        group.permissions.set(permissions)
        groups[name] = group
    return groups


def sync_groups_operation(*app_labels):
    """The migration step that gives the groups the permissions of `app_labels`: Django creates an
    app's permissions only after every migration has run, so they are created here first."""
    from django.contrib.auth.management import create_permissions
    from django.db import migrations

    def grant(apps, schema_editor):
        for label in app_labels:
            config = apps.get_app_config(label)
            config.models_module = getattr(config, "models_module", None) or True
            create_permissions(config, verbosity=0, apps=apps)
        sync_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))

    return migrations.RunPython(grant, migrations.RunPython.noop)
