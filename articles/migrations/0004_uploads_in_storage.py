"""Uploaded import files move from a database column to the default storage, so that with several
servers they can live in an object store; each file keeps its bytes and name."""

from django.core.files.base import ContentFile
from django.db import migrations, models


def to_storage(apps, schema_editor):
    UploadedFile = apps.get_model("articles", "UploadedFile")
    for upload in UploadedFile.objects.using(schema_editor.connection.alias).iterator(chunk_size=1):
        upload.file.save(upload.name.rsplit("/", 1)[-1], ContentFile(bytes(upload.data)), save=True)


def to_database(apps, schema_editor):
    UploadedFile = apps.get_model("articles", "UploadedFile")
    for upload in UploadedFile.objects.using(schema_editor.connection.alias).iterator(chunk_size=1):
        with upload.file.open("rb") as stored:
            upload.data = stored.read()
        upload.save(update_fields=["data"])
        upload.file.delete(save=False)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_import_report_parts")]

    operations = [
        migrations.AddField(
            model_name="uploadedfile",
            name="file",
            field=models.FileField(default="", max_length=255, upload_to="imports/%Y/%m/"),
            preserve_default=False,
        ),
        # A default, so that migrating back can add the column again before the files move into it.
        migrations.AlterField(model_name="uploadedfile", name="data", field=models.BinaryField(default=b"")),
        migrations.RunPython(to_storage, to_database),
        migrations.RemoveField(model_name="uploadedfile", name="data"),
    ]
