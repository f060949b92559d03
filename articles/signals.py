"""What articles announce to the apps that build on them. Articles imports none of its listeners: an app
connects its receivers in its `AppConfig.ready` (claims re-anchors its claims on a new version).

Each signal is sent with `sender=Article`, inside the transaction of the write they announce, so what a
receiver writes commits or rolls back with it, and an error in a receiver undoes the write.

- `version_created(old, new)`: an import wrote `new`, a new version of the article `old` (its previous
  version), within the transaction of the import chunk that wrote it.
- `metadata_changed(article, fields, user)`: an admin saved changes to the article's metadata; `fields`
  names the fields whose values changed (of `articles.history.METADATA`), `user` is who saved them.
- `passages_written(article_ids)`: the passages of those articles were written (claims enqueues their
  embeddings: a receiver must only enqueue work here, never do it, to keep imports fast).
"""

from django.dispatch import Signal

version_created = Signal()
metadata_changed = Signal()
passages_written = Signal()
