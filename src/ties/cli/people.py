"""Subcommands for people: person add / edit / archive / delete, and people."""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import replace
from datetime import date
from typing import Any

from ties.analysis.render import counted, table
from ties.cli.common import (
    CLEAR,
    CommandError,
    add_json_flag,
    days_or_none,
    find_person,
    not_empty,
    open_store,
    parse_date,
    past_date_or_none,
    print_json,
)
from ties.model import (
    DETAIL_LABELS,
    PROFILE_FIELDS,
    Detail,
    ImportantDate,
    Person,
    check_partial_date,
)
from ties.store.person_details import clean_tags, match_key

#: Words that may start a detail as its label: ``--email work:ana@example.org``.
_LABEL_PREFIX = re.compile(r"(" + "|".join(DETAIL_LABELS) + r"):\s*(.+)", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE = re.compile(r"\+?[\d\s().\-/]*\d[\d\s().\-/]*(?:\s*(?:x|ext\.?)\s*\d+)?", re.I)


def _closeness(text: str) -> int:
    if text not in {"1", "2", "3", "4", "5"}:
        raise argparse.ArgumentTypeError("closeness is 1 (acquaintance) to 5 (inner circle)")
    return int(text)


def _mutuality(text: str) -> int:
    value = {"-1": -1, "0": 0, "1": 1, "+1": 1}.get(text)
    if value is None:
        raise argparse.ArgumentTypeError("mutuality is -1, 0 or +1")
    return value


def _labelled(text: str) -> Detail:
    """``work:ana@example.org`` → Detail("work", …); without a known label, "other"."""
    text = text.strip()
    m = _LABEL_PREFIX.fullmatch(text)
    return Detail(m.group(1).lower(), m.group(2).strip()) if m else Detail("other", text)


def _email(text: str) -> Detail:
    d = _labelled(text)
    if not _EMAIL.fullmatch(d.value):
        raise argparse.ArgumentTypeError(f"'{text}' is not an e-mail address (name@example.org)")
    return d


def _phone(text: str) -> Detail:
    d = _labelled(text)
    if not _PHONE.fullmatch(d.value):
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a phone number (digits, spaces, + - ( ) . /)"
        )
    return d


def _url(text: str) -> Detail:
    d = _labelled(text)
    if not d.value or any(c.isspace() for c in d.value):
        raise argparse.ArgumentTypeError(f"'{text}' is not a web address")
    return d


def _birthday(text: str) -> str | object:
    if text.strip().lower() == "none":
        return CLEAR
    try:
        check_partial_date(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def _important_date(text: str) -> ImportantDate:
    """``wedding=2015-06-20`` (or ``=--06-20`` without the year): a yearly date."""
    label, sep, day = text.rpartition("=")
    label = " ".join(label.split())
    if not sep or not label:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not LABEL=DATE (e.g. wedding=2015-06-20, or =--06-20 without the year)"
        )
    try:
        check_partial_date(day.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return ImportantDate(label, day.strip())


def _tag(text: str) -> str:
    tag = " ".join(text.split())
    if not tag:
        raise argparse.ArgumentTypeError("a tag cannot be empty")
    return tag


def _relation(text: str) -> str:
    relation = " ".join(text.split())
    if not relation:
        raise argparse.ArgumentTypeError(
            "a link needs a relation: partner, family, colleague, friend, "
            "'introduced me to', knows, or your own words"
        )
    return relation


def _since(text: str) -> date:
    day = parse_date(text)
    if day > date.today():
        raise argparse.ArgumentTypeError(
            f"'{text}' is in the future; since when have they been linked?"
        )
    return day


def _detail_options(p: argparse.ArgumentParser, *, edit: bool) -> None:
    more = " (repeat for several; adds to those they have)" if edit else " (repeat for several)"
    p.add_argument(
        "--email",
        dest="emails",
        action="append",
        type=_email,
        metavar="E",
        help="an e-mail address, optionally labelled: work:ana@example.org" + more,
    )
    p.add_argument(
        "--phone",
        dest="phones",
        action="append",
        type=_phone,
        metavar="P",
        help="a phone number, optionally labelled: mobile:+44 7700 900123" + more,
    )
    p.add_argument(
        "--url", dest="urls", action="append", type=_url, metavar="URL", help="a web link" + more
    )
    p.add_argument(
        "--birthday",
        type=_birthday,
        metavar="YYYY-MM-DD|--MM-DD",
        help="birthday, with the year or without (--MM-DD)" + ("; none clears it" if edit else ""),
    )
    p.add_argument(
        "--tag", dest="tags", action="append", type=_tag, metavar="T", help="a tag" + more
    )
    p.add_argument(
        "--date",
        dest="dates",
        action="append",
        type=_important_date,
        metavar="LABEL=DATE",
        help="an important date, every year: wedding=2015-06-20 (or --MM-DD)" + more,
    )
    if edit:
        p.add_argument(
            "--remove-email", action="append", default=[], metavar="E", help="drop an e-mail"
        )
        p.add_argument(
            "--remove-phone", action="append", default=[], metavar="P", help="drop a phone number"
        )
        p.add_argument(
            "--remove-url", action="append", default=[], metavar="URL", help="drop a web link"
        )
        p.add_argument("--remove-tag", action="append", default=[], metavar="T", help="drop a tag")
        p.add_argument(
            "--remove-date",
            action="append",
            default=[],
            metavar="LABEL",
            help="drop the important dates with this label",
        )


def _profile_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--circle",
        help="work, industry, community, family, friends, school, online, other (or one you added)",
    )
    p.add_argument("--organization", "--org", dest="organization")
    p.add_argument("--role")
    p.add_argument("--how-met", dest="how_met")
    p.add_argument(
        "--met-on",
        dest="met_on",
        type=past_date_or_none,
        metavar="DATE",
        help="when you met (YYYY-MM-DD; none clears it)",
    )
    p.add_argument(
        "--phase",
        dest="life_phases",
        action="append",
        metavar="PHASE",
        help="a life phase they know you through (repeat for several)",
    )
    p.add_argument("--closeness", type=_closeness, help="1 acquaintance … 5 inner circle")
    p.add_argument("--mutuality", type=_mutuality, help="-1, 0 or +1")
    p.add_argument("--interests")
    p.add_argument("--needs", help="what they need")
    p.add_argument("--offers", help="what they can help others with (Today matches it to needs)")
    p.add_argument("--notes")
    p.add_argument(
        "--cadence-days",
        dest="cadence_days",
        type=days_or_none,
        metavar="N",
        help="keep in touch at least every N days (default by closeness; none clears it)",
    )


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    person = sub.add_parser(
        "person",
        parents=[common],
        help="add, edit, archive or delete a person",
        description="Add, edit, archive or delete a person.",
    )
    psub = person.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = psub.add_parser(
        "add", parents=[common], help="add a person", description="Add a person to the journal."
    )
    p.add_argument("name")
    _profile_options(p)
    _detail_options(p, edit=False)
    add_json_flag(p)
    p.set_defaults(func=cmd_add)

    p = psub.add_parser(
        "edit",
        parents=[common],
        help="change a person's profile",
        description="Change fields of a person's profile.",
    )
    p.add_argument("name")
    p.add_argument("--rename", metavar="NEW_NAME", help="a new name, not already in the journal")
    _profile_options(p)
    _detail_options(p, edit=True)
    add_json_flag(p)
    p.set_defaults(func=cmd_edit)

    p = psub.add_parser(
        "show",
        parents=[common],
        help="show a person's profile",
        description="Show a person's profile and entry count.",
    )
    p.add_argument("name")
    add_json_flag(p)
    p.set_defaults(func=cmd_show)

    for action, flag in (("archive", True), ("unarchive", False)):
        p = psub.add_parser(
            action,
            parents=[common],
            help=f"{action} a person",
            description=f"{action.capitalize()} a person; archived people keep "
            "their history but leave the lists, reports and map.",
        )
        p.add_argument("name")
        p.set_defaults(func=cmd_archive, archived=flag)

    p = psub.add_parser(
        "delete",
        parents=[common],
        help="delete a person for good",
        description="Delete a person. Refused when they are named on entries, "
        "unless --with-entries: then entries naming only them are deleted and "
        "shared entries lose them. Archiving keeps the history instead.",
    )
    p.add_argument("name")
    p.add_argument("--with-entries", action="store_true")
    p.set_defaults(func=cmd_delete)

    p = psub.add_parser(
        "link",
        parents=[common],
        help="link two people (who knows whom)",
        description="Link two people in the journal: partner, family, colleague, friend, "
        "'introduced me to', knows, or any relation. Two people have one link; linking "
        "them again replaces it.",
    )
    p.add_argument("name")
    p.add_argument("other")
    p.add_argument("--as", dest="relation", required=True, type=_relation, metavar="RELATION")
    p.add_argument(
        "--directed",
        action="store_true",
        help="the relation reads one way: NAME <relation> OTHER (e.g. introduced me to)",
    )
    p.add_argument("--since", type=_since, metavar="DATE", help="since when (YYYY-MM-DD)")
    add_json_flag(p)
    p.set_defaults(func=cmd_link)

    p = psub.add_parser(
        "unlink",
        parents=[common],
        help="remove the link between two people",
        description="Remove the link between two people.",
    )
    p.add_argument("name")
    p.add_argument("other")
    p.set_defaults(func=cmd_unlink)

    p = psub.add_parser(
        "merge",
        parents=[common],
        help="merge two records of one person",
        description="Move every entry, detail, date, tag and link of OTHER to KEEP (and "
        "the photo when KEEP has none; empty fields of KEEP take OTHER's), then remove "
        "OTHER. One transaction: all of it happens or none.",
    )
    p.add_argument("keep")
    p.add_argument("other")
    add_json_flag(p)
    p.set_defaults(func=cmd_merge)

    p = sub.add_parser(
        "tags", parents=[common], help="list tags", description="List tags and how many carry each."
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_tags)

    p = sub.add_parser(
        "people", parents=[common], help="list people", description="List people, by name."
    )
    p.add_argument("--circle", type=not_empty)
    p.add_argument("--closeness", type=_closeness)
    p.add_argument("--archived", action="store_true", help="list archived people instead")
    p.add_argument("--tag", type=_tag, metavar="TAG", help="only people with this tag")
    add_json_flag(p)
    p.set_defaults(func=cmd_people)


def _apply(person: Person, args: argparse.Namespace) -> Person:
    changes = {f: getattr(args, f) for f in PROFILE_FIELDS if getattr(args, f, None) is not None}
    cleared: dict[str, Any] = {f: None if v is CLEAR else v for f, v in changes.items()}
    if args.birthday is not None:
        cleared["birthday"] = None if args.birthday is CLEAR else args.birthday
    for attr, kind in (("emails", "email"), ("phones", "phone"), ("urls", "url")):
        have: list[Detail] = list(getattr(person, attr))
        drop = {match_key(kind, v) for v in getattr(args, f"remove_{kind}", [])}
        missing = drop - {match_key(kind, d.value) for d in have}
        if missing:
            raise CommandError(f"{person.name} has no {kind} {sorted(missing)[0]}")
        have = [d for d in have if match_key(kind, d.value) not in drop]
        keys = {match_key(kind, d.value) for d in have}
        for d in getattr(args, attr) or []:
            if match_key(kind, d.value) not in keys:
                keys.add(match_key(kind, d.value))
                have.append(d)
        cleared[attr] = have
    drop_tags = {" ".join(t.split()).casefold() for t in getattr(args, "remove_tag", [])}
    missing_tags = drop_tags - {t.casefold() for t in person.tags}
    if missing_tags:
        raise CommandError(f"{person.name} has no tag '{sorted(missing_tags)[0]}'")
    tags = [t for t in person.tags if t.casefold() not in drop_tags]
    cleared["tags"] = clean_tags(tags + (args.tags or []))
    drop_dates = {" ".join(x.split()).casefold() for x in getattr(args, "remove_date", [])}
    missing_dates = drop_dates - {d.label.casefold() for d in person.dates}
    if missing_dates:
        raise CommandError(f"{person.name} has no date labelled '{sorted(missing_dates)[0]}'")
    dates = [d for d in person.dates if d.label.casefold() not in drop_dates]
    cleared["dates"] = dates + [d for d in args.dates or [] if d not in dates]
    return replace(person, **cleared)


def cmd_add(args: argparse.Namespace) -> int:
    from ties.io.records import person_record

    with open_store(args) as store:
        clash = store.name_taken_by(args.name)
        if clash and clash.archived:
            raise CommandError(
                f"'{clash.name}' is already in the journal, archived; bring them back with: "
                f"ties person unarchive {shlex.quote(clash.name)}"
            )
        if clash:
            raise CommandError(
                f"'{clash.name}' is already in the journal; use 'ties person edit' to change them"
            )
        p = store.add_person(_apply(Person(name=args.name), args))
        if args.json:
            print_json(person_record(p))
        else:
            print(f"added {p.name} ({p.circle}, closeness {p.closeness})")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from ties.io.records import person_record

    with open_store(args, create=False) as store:
        old = find_person(store, args.name)
        p = _apply(old, args)
        if args.rename is not None:
            new_name = " ".join(args.rename.split())
            if not new_name:
                raise CommandError("--rename needs a name")
            clash = store.name_taken_by(new_name, except_id=old.id)
            if clash:
                raise CommandError(f"'{clash.name}' is already in the journal; choose another name")
            p = replace(p, name=new_name)
        if p == old:
            if args.json:
                print_json(person_record(old))
            else:
                print(f"nothing to change for {old.name}")
            return 0
        p = store.update_person(p)
        if args.json:
            print_json(person_record(p))
        else:
            print(f"updated {p.name}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from ties.io.records import person_record

    with open_store(args, create=False) as store:
        p = find_person(store, args.name)
        rec = person_record(p, store.links(p.id)) | {"entries": store.person_entry_count(p.id)}
        if args.json:
            print_json(rec)
            return 0
        for key, value in rec.items():
            if key in ("extra", "has_photo"):
                continue
            if value not in ("", None, []):
                print(f"{key.replace('_', ' ')}: {_shown(key, value)}")
        if p.has_photo:
            print("photo: yes")
    return 0


def _shown(key: str, value: Any) -> str:
    """One line for a field of ``person show``: lists joined, details with their labels."""
    if not isinstance(value, list):
        return str(value)
    parts: list[str] = []
    for item in value:
        if not isinstance(item, dict):
            parts.append(str(item))
        elif key == "links":
            arrow = ("← " if item["incoming"] else "→ ") if item["directed"] else ""
            parts.append(f"{arrow}{item['name']} ({item['relation']})")
        elif key == "addresses":
            where = ", ".join(
                item[k] for k in ("street", "locality", "region", "postcode", "country") if item[k]
            )
            parts.append(f"{item['label']}: {where}" if item["label"] else where)
        else:
            text = item.get("value") or item.get("date", "")
            parts.append(f"{item['label']}: {text}" if item["label"] else text)
    return ("; " if isinstance(value[0], dict) else ", ").join(parts)


def cmd_archive(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        p = store.set_archived(find_person(store, args.name).id, args.archived)
        print(f"{'archived' if p.archived else 'unarchived'} {p.name}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        p = find_person(store, args.name)
        n = store.person_entry_count(p.id)
        if n and not args.with_entries:
            raise CommandError(
                f"{p.name} is named on {counted(n, 'entry', 'entries')}; add --with-entries to "
                "delete them too (shared entries only lose this person), or keep the history "
                "with 'ties person archive'"
            )
        gone = store.delete_person(p.id, with_entries=args.with_entries)
        message = f"deleted {p.name}"
        if gone.entries:
            message += f" and {counted(len(gone.entries), 'entry', 'entries')} naming only them"
        if gone.shared:
            message += (
                f"; removed them from {counted(len(gone.shared), 'shared entry', 'shared entries')}"
            )
        print(message)
    return 0


def _two_people(store: Any, args: argparse.Namespace, first: str) -> tuple[Any, Any]:
    a = find_person(store, getattr(args, first))
    b = find_person(store, args.other)
    return a, b


def cmd_link(args: argparse.Namespace) -> int:
    from ties.io.records import link_record

    with open_store(args, create=False) as store:
        a, b = _two_people(store, args, "name")
        if a.id == b.id:
            raise CommandError(f"{a.name} cannot be linked to themselves")
        old = store.link(a.id, b.id, args.relation, args.directed, args.since)
        made = next(x for x in store.links(a.id) if x.other_id == b.id)
        if args.json:
            print_json(link_record(made) | {"from": {"name": a.name, "uuid": a.uuid}})
            return 0
        what = f"linked {a.name} and {b.name} as {made.relation}"
        if made.directed:
            what = f"linked {a.name} → {b.name}: {made.relation}"
        if old is not None and old.relation != made.relation:
            what += f" (was {old.relation})"
        print(what)
    return 0


def cmd_unlink(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        a, b = _two_people(store, args, "name")
        if store.unlink(a.id, b.id) is None:
            raise CommandError(f"{a.name} and {b.name} are not linked")
        print(f"unlinked {a.name} and {b.name}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from ties.io.records import person_record

    with open_store(args, create=False) as store:
        keep, other = _two_people(store, args, "keep")
        if keep.id == other.id:
            raise CommandError(f"{keep.name} cannot be merged into themselves")
        record = store.merge_people(keep.id, other.id)
        merged = store.get_person(keep.id)
        if args.json:
            print_json(
                person_record(merged, store.links(keep.id))
                | {"merged": {"name": other.name, "uuid": other.uuid}}
            )
            return 0
        named = sum(other.id in e.person_ids for e in record.entries_before)
        moved = counted(named, "entry", "entries")
        print(f"merged {other.name} into {merged.name}: moved {moved}; removed {other.name}")
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        tags = store.tags()
        if args.json:
            print_json([{"tag": t, "people": n} for t, n in tags])
        elif not tags:
            print("no tags yet; add one with: ties person edit NAME --tag TAG")
        else:
            print(table([[t, str(n)] for t, n in tags], ["tag", "people"]))
    return 0


def cmd_people(args: argparse.Namespace) -> int:
    from ties.io.records import person_record
    from ties.store import PeopleFilter
    from ties.store.people_reads import people_list_rows

    with open_store(args, create=False) as store:
        if args.circle and args.circle not in {c.key for c in store.circles(True)}:
            valid = ", ".join(c.key for c in store.circles())
            raise CommandError(f"unknown circle '{args.circle}'; circles: {valid}")
        chosen = PeopleFilter(
            circle=args.circle, closeness=args.closeness, archived=args.archived, tag=args.tag
        )
        if args.json:
            print_json([person_record(p) for p in store.list_people(chosen)])
            return 0
        people = people_list_rows(store, chosen)  # the printed columns only (10,000: ~3× faster)
        if not people:
            if args.archived:
                print("no archived people")
            elif args.tag and not any(t.casefold() == args.tag.casefold() for t, _ in store.tags()):
                print(f"nobody has the tag '{args.tag}'; see 'ties tags'")
            elif args.circle or args.closeness or args.tag:
                print("nobody matches")
            elif store.count_people(PeopleFilter(archived=None)):
                print("everyone is archived; see 'ties people --archived'")
            else:
                print("nobody yet; add someone with: ties person add NAME")
            return 0
        rows = [
            [name, circle, str(closeness), organization, role, last_contact or "-"]
            for name, circle, closeness, organization, role, last_contact in people
        ]
        print(table(rows, ["name", "circle", "closeness", "organization", "role", "last contact"]))
    return 0
