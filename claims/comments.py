"""A claim's discussion: what a comment's text may hold, who it mentions, and how it is shown.

A comment is plain text, never HTML. It is shown escaped, with two things made live: web addresses
(http and https only) become links that pass on no referrer and no ranking, and `@username` of someone it
mentions is marked. Everything else, `<script>`, `javascript:` and all, is shown as the characters typed.
"""

import re
from html import escape

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString

from claims import permissions
from claims.models import COMMENT_MAX_LENGTH, Comment, Mention

# A web address runs to the first space, quote, angle bracket or backtick; punctuation that ends a
# sentence after it is not part of it. Only http(s): no other scheme is ever a link.
_URL = r"(?<![\w/])https?://[^\s<>\"'`]+"
# @name, not inside a word or an e-mail address; Django's username characters but "@".
_MENTION = r"(?<![\w.+@-])@[\w.+-]+"
TOKENS = re.compile(rf"(?P<url>{_URL})|(?P<mention>{_MENTION})", re.IGNORECASE)
TRAILING = ".,;:!?"
MENTIONS_PER_COMMENT = 20  # more than a thread needs, few enough that a comment cannot page the newsroom


def clean_body(body: str) -> str:
    """The text as stored: trimmed of blank lines around it, refused if empty or too long (a field error)."""
    body = (body or "").strip("\n\r ").replace("\r\n", "\n")
    if not body.strip():
        raise ValidationError({"body": "Write something before posting."})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": f"A comment can have at most {COMMENT_MAX_LENGTH} characters (this one has {len(body)})."}
        )
    return body


def _url_end(url: str) -> str:
    """A URL without the sentence's punctuation after it; a closing bracket stays when the URL opened one."""
    while url:
        if url[-1] in TRAILING:
            url = url[:-1]
        elif url[-1] == ")" and url.count("(") < url.count(")"):
            url = url[:-1]
        else:
            break
    return url


def _name(token: str) -> str:
    return token[1:].rstrip(".")


def mentioned_names(body: str) -> list[str]:
    """The usernames `@`-mentioned in the text, each once, in order of first mention."""
    names = {}
    for match in TOKENS.finditer(body):
        if match["mention"] and _name(match["mention"]):
            names.setdefault(_name(match["mention"]), None)
    return list(names)[:MENTIONS_PER_COMMENT]


def mentioned_users(body: str) -> list:
    """The active people the text mentions (unknown names are only text)."""
    names = mentioned_names(body)
    if not names:
        return []
    return list(get_user_model().objects.filter(username__in=names, is_active=True).order_by("username"))


def render(body: str, mentioned: frozenset[str] | set[str] = frozenset()) -> SafeString:
    """The comment as HTML: all of it escaped, then http(s) addresses linked and mentions of `mentioned` marked."""
    out, at = [], 0
    for match in TOKENS.finditer(body):
        out.append(escape(body[at : match.start()]))
        token = match[0]
        url = _url_end(token) if match["url"] else ""
        if url and not url.endswith("://"):  # punctuation alone after the scheme is no address
            out.append(
                f'<a href="{escape(url, quote=True)}" rel="nofollow noopener noreferrer" target="_blank">'
                f"{escape(url)}</a>{escape(token[len(url) :])}"
            )
        elif match["mention"] and _name(token) in mentioned:
            name = _name(token)
            out.append(f'<span class="mention">@{escape(name)}</span>{escape(token[len(name) + 1 :])}')
        else:
            out.append(escape(token))
        at = match.end()
    out.append(escape(body[at:]))
    return SafeString("".join(out))


def thread(claim, user) -> list:
    """The claim's comments as the page shows them, oldest first: each top-level comment with `replies`, and
    each comment with its `html` and what `user` may do with it. Two queries, however long the discussion;
    one when no comment could mention anyone."""
    comments = list(Comment.objects.filter(claim=claim).select_related("author", "deleted_by"))
    mentioned: dict[int, set[str]] = {}
    if any("@" in comment.body for comment in comments):
        mentions = Mention.objects.filter(claim=claim).order_by().values_list("comment_id", "user__username")
        for comment_id, username in mentions:
            mentioned.setdefault(comment_id, set()).add(username)
    said = (
        _deleted_words([c.pk for c in comments if c.is_deleted]) if permissions.can_read_deleted_comments(user) else {}
    )
    top, replies = [], {}
    for comment in comments:
        comment.deleted_words = said.get(comment.pk, "")
        comment.html = "" if comment.is_deleted else render(comment.body, mentioned.get(comment.pk, set()))
        comment.editable = permissions.can_edit_comment(user, comment)
        comment.deletable = permissions.can_delete_comment(user, comment)
        comment.thread_replies = replies.setdefault(comment.pk, [])
        if comment.parent_id is None:
            top.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    return top


def _deleted_words(ids: list[int]) -> dict[int, str]:
    """The last words each deleted comment had, from its history (one query)."""
    if not ids:
        return {}
    records = Comment.history.filter(id__in=ids).exclude(body="").order_by("history_date", "history_id")
    return dict(records.values_list("id", "body"))  # the latest record of each comes last and wins


def mentions_of(user):
    """Where `user` was mentioned, newest first, with the comment, its author and the claim (for a desk)."""
    return Mention.objects.filter(user=user).select_related("comment__author", "claim").order_by("-created_at", "-id")
