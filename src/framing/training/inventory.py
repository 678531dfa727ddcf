"""The label inventories of the framing heads: persuasion techniques and news frames.

Techniques: the SemEval-2020 Task 11 (PTC) and SemEval-2023 Task 3 inventories mapped onto
one set. Where 2020 merged several 2023 techniques into one class (e.g.
``Whataboutism,Straw_Men,Red_Herring``), the merged class is kept and the 2023 techniques map
into it. 2023 techniques without a 2020 counterpart are not mapped (see ``UNMAPPED_2023``).

Frames: the 14 dimensions of the Media Frames Corpus, as named in SemEval-2023 subtask 2.
"""

from __future__ import annotations

__all__ = [
    "FRAMES",
    "FROM_2020",
    "FROM_2023",
    "TECHNIQUE_SOURCES",
    "UNMAPPED_2023",
    "map_technique",
]

# unified name -> (2020 PTC names, 2023 names)
TECHNIQUE_SOURCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Loaded_Language": (("Loaded_Language",), ("Loaded_Language",)),
    "Name_Calling/Labeling": (("Name_Calling,Labeling",), ("Name_Calling-Labeling",)),
    "Exaggeration/Minimisation": (("Exaggeration,Minimisation",), ("Exaggeration-Minimisation",)),
    "Appeal_to_Fear/Prejudice": (("Appeal_to_fear-prejudice",), ("Appeal_to_Fear-Prejudice",)),
    "Doubt": (("Doubt",), ("Doubt",)),
    "Flag_Waving": (("Flag-Waving",), ("Flag_Waving",)),
    "Causal_Oversimplification": (("Causal_Oversimplification",), ("Causal_Oversimplification",)),
    "Repetition": (("Repetition",), ("Repetition",)),
    "Appeal_to_Authority": (("Appeal_to_Authority",), ("Appeal_to_Authority",)),
    "Slogans": (("Slogans",), ("Slogans",)),
    "Black-and-White_Fallacy/False_Dilemma": (
        ("Black-and-White_Fallacy",),
        ("False_Dilemma-No_Choice",),
    ),
    "Thought-terminating_Cliche/Conversation_Killer": (
        ("Thought-terminating_Cliches",),
        ("Conversation_Killer",),
    ),
    "Whataboutism/Straw_Man/Red_Herring": (
        ("Whataboutism,Straw_Men,Red_Herring",),
        ("Whataboutism", "Straw_Man", "Red_Herring"),
    ),
    "Bandwagon/Reductio_ad_Hitlerum": (
        ("Bandwagon,Reductio_ad_hitlerum",),
        ("Appeal_to_Popularity", "Guilt_by_Association"),
    ),
}
UNMAPPED_2023 = (
    "Appeal_to_Hypocrisy",
    "Appeal_to_Values",
    "Appeal_to_Time",
    "Consequential_Oversimplification",
    "Obfuscation-Vagueness-Confusion",
    "Questioning_the_Reputation",
)
FROM_2020 = {old: new for new, (olds, _) in TECHNIQUE_SOURCES.items() for old in olds}
FROM_2023 = {old: new for new, (_, olds) in TECHNIQUE_SOURCES.items() for old in olds}

FRAMES = (
    "Economic",
    "Capacity_and_resources",
    "Morality",
    "Fairness_and_equality",
    "Legality_Constitutionality_and_jurisprudence",
    "Policy_prescription_and_evaluation",
    "Crime_and_punishment",
    "Security_and_defense",
    "Health_and_safety",
    "Quality_of_life",
    "Cultural_identity",
    "Public_opinion",
    "Political",
    "External_regulation_and_reputation",
)


def map_technique(name: str, inventory: int) -> str | None:
    """The unified name of a 2020 or 2023 technique name, or None when it is not mapped."""
    table = FROM_2020 if inventory == 2020 else FROM_2023
    return table.get(name.strip())
