"""Drop two indexes that duplicate a unique one: a response's interaction is found through
response_once_per_interaction, an answer's response through answer_once_per_question.

Only the two plain indexes are dropped, by name. (AlterField(db_index=False) would also drop the
partial unique index on the same column on PostgreSQL: it picks indexes by column.)
"""

import django.db.models.deletion
from django.db import migrations, models

DROPS = [
    ("surveys_response_interaction_id_3a708fe6", "surveys_response", "interaction_id"),
    ("surveys_answer_response_id_5416c873", "surveys_answer", "response_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("attention", "0004_first_response_seconds"),
        ("surveys", "0002_email_invitations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in DROPS
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="answer",
                    name="response",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="surveys.response",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="interaction",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="attention.interaction",
                        verbose_name="interaction",
                    ),
                ),
            ],
        ),
    ]
