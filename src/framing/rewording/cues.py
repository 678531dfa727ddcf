"""The word classes that signal the loaded sense of a list word (read by
:mod:`framing.rewording.senses`).

Written from the senses the classes describe (who takes part in public life and what they
say, decide or do), not fitted to a test set. Singular forms; a plural "s"/"es" and a
possessive "'s" are taken off before looking a word up (:func:`member`).
"""

from __future__ import annotations

__all__ = [
    "CIVIC",
    "COPULAS",
    "DETERMINERS",
    "DISCOURSE",
    "INSTITUTIONS",
    "LABELS",
    "PEOPLE",
    "member",
    "words",
]


def words(text: str) -> frozenset[str]:
    """The set of the whitespace-separated words of ``text``."""
    return frozenset(text.split())


# people and groups in public life: roles, offices, professions seen in the news, publics
PEOPLE = words(
    """minister senator president mayor councillor councilor governor chancellor premier
    politician lawmaker legislator mp congressman congresswoman official officer spokesman
    spokeswoman spokesperson aide adviser advisor candidate leader chairman chairwoman chair
    chief executive ceo director manager owner founder investor shareholder banker
    landlord tycoon billionaire developer regulator inspector judge prosecutor lawyer critic
    opponent rival supporter activist campaigner protester demonstrator voter resident
    taxpayer commuter passenger tourist migrant immigrant refugee asylum-seeker worker nurse
    teacher headteacher doctor scientist expert academic economist journalist reporter
    columnist pundit commentator editor presenter broadcaster blogger influencer celebrity
    star singer actor actress rapper player striker coach referee fan footballer athlete
    cyclist driver motorist student parent troll liberal conservative socialist progressive
    elite elites opposition rebel dissident"""
)

# institutions and organised groups
INSTITUTIONS = words(
    """government administration cabinet ministry department parliament congress senate
    council party union club league federation association committee commission board
    authority agency regulator court trust firm company corporation bank airline
    broadcaster channel newspaper paper media press platform charity state
    establishment movement campaign team regime"""
)

# what people say, decide or do in public life, and its figures
DISCOURSE = words(
    """report plan proposal policy decision claim statement remark comment speech interview
    letter post tweet message warning response reply reaction answer apology
    announcement promise pledge demand offer deal agreement contract bill law rule ruling
    verdict vote election referendum consultation inquiry investigation review campaign
    debate row dispute criticism rumour rumor story lie tactic strategy move
    decision u-turn reform cut scheme programme program budget tax fee fine charge price
    pay bonus salary rent rise fall increase high low figure number sum bill cost result
    performance season record launch culture behaviour behavior conduct idea
    view opinion argument case trial hearing album film book show song play column article
    episode broadcast strike protest job fraud welfare talks negotiation summit meeting
    treaty accord ceasefire"""
)

# verbs of civic life whose subject is an actor (the regime announced, a mob gathered)
CIVIC = words(
    """announced announces announce said says say met meets visited visits spoke speaks
    addressed addresses warned warns claimed claims denied denies marched march marches
    gathered gather gathers rallied protested vowed vows urged urges threatened threatens
    accused accuses told tells insisted insists promised promises pledged refused refuses
    jailed jails held holds demanded demands chanted booed targeted targets harassed
    rejected rejects condemned condemns ranted shouted raged cheered
    jeered mocked"""
)

# verbs that give someone a label (branded rioters, called extremists)
LABELS = words(
    """branded brand brands called call calls labelled labeled label labels dubbed dub
    denounced denounce described describe describes"""
)

COPULAS = words("is are was were be been being remains remained became seems seemed")

DETERMINERS = words("the a an his her their its our my your this that these those some")


def member(form: str, words: frozenset[str]) -> bool:
    """Whether a token form, or its singular without a possessive, is one of ``words``."""
    form = form.removesuffix("'s").removesuffix("’s").removesuffix("'")
    if form in words:
        return True
    for end in ("ies", "es", "s"):
        if form.endswith(end) and len(form) > len(end) + 1:
            stem = form[: -len(end)] + ("y" if end == "ies" else "")
            if stem in words:
                return True
    return False
