# ruff: noqa: E501  (one test text per line)
"""Texts written for this project to test the `loaded` head's word evidence (issue 24).

* ``SENSES``: the same word family in a literal headline (should stay below 0.5) and a
  loaded one (should reach 0.5): the head must tell the senses apart, not only the words.
* ``SENSES_HELDOUT``: more such pairs of other word families, written before any context
  form was tuned on ``SENSES`` (the dev set): the held-out figure.
* ``TABLOID``: sensational tabloid headlines ("Fury as ...", "Horror as ...", hyperbole)
  beside sober rewrites of the same events.
* ``NEUTRAL_6`` / ``NEUTRAL_20`` / ``NEUTRAL_40``: neutral sentences of 6, 20 and 40 words;
  :func:`inserted` puts a word into them (the length test: a loaded word must carry a long
  sentence as it carries a short one, and an untouched long sentence must stay clear).
* ``OTHER_LOADED_WORDS``: loaded words that are not entries of ``loaded_terms.txt``.

Scored by ``benchmarks/loaded_fixtures.py`` and checked by tests/shipping.
"""

from __future__ import annotations

# (word family, literal headline, loaded headline)
SENSES = [
    (
        "flood",
        "Flood water rises in river towns after storm",
        "Flood of migrants overwhelms border towns",
    ),
    (
        "invasion",
        "Historians mark anniversary of Normandy invasion",
        "Migrant invasion sparks fears in coastal towns",
    ),
    (
        "slash",
        "Retailer to slash prices on winter coats",
        "Government to slash benefits for disabled people",
    ),
    ("swarm", "Bee swarm delays trains near station", "Swarm of migrants heads for the border"),
    ("plague", "Plague case confirmed in rural Madagascar", "Knife crime plague grips the capital"),
    (
        "virus",
        "New virus strain detected on poultry farms",
        "Woke ideology is a virus in our schools, says MP",
    ),
    (
        "cancer",
        "Cancer drug approved for use in hospitals",
        "Corruption is a cancer on our democracy, says MP",
    ),
    (
        "witch hunt",
        "Museum exhibit recalls 17th-century witch hunt",
        "President calls the inquiry a witch hunt",
    ),
    (
        "vermin",
        "Council offers tenants free vermin control",
        "Minister calls the protesters vermin",
    ),
    (
        "cull",
        "Badger cull extended to three more counties",
        "Party leader plans cull of moderate MPs",
    ),
    ("axe", "Woodworker restores antique axe collection", "Council to axe library services"),
    (
        "butcher",
        "Village butcher celebrates fifty years in trade",
        "General dubbed the butcher of the city",
    ),
    (
        "crusade",
        "Exhibition explores the history of the Third Crusade",
        "Mayor's crusade against cyclists continues",
    ),
    (
        "hammer",
        "Toolmaker recalls faulty hammer model",
        "Voters hammer ruling party in local elections",
    ),
    ("blast", "Gas blast damages homes in Leeds", "Union boss blasts pay offer"),
    ("slam", "Tennis player wins first Grand Slam title", "Senator slams new budget plan"),
    (
        "meltdown",
        "Engineers study meltdown risk at old reactor",
        "Manager has meltdown after cup defeat",
    ),
    ("toxic", "Toxic chemicals found in river after spill", "Toxic debate tears the party apart"),
    (
        "infest",
        "Termites infest historic wooden church",
        "Extremists infest online forums, says minister",
    ),
    ("puppet", "Puppet theatre opens in old cinema", "Opposition calls premier a Kremlin puppet"),
    (
        "mouthpiece",
        "Trumpet mouthpiece maker expands workshop",
        "Broadcaster branded a government mouthpiece",
    ),
    (
        "regime",
        "New tax regime for small firms starts in April",
        "Regime cracks down on protesters",
    ),
    ("war", "War veterans gather for memorial service", "Government's war on motorists goes on"),
    ("circus", "Circus returns to town for summer season", "Brexit talks descend into a circus"),
    ("zoo", "Zoo welcomes baby giraffe", "Parliament has become a zoo, says speaker"),
    ("tsunami", "Tsunami warning issued after earthquake", "Tsunami of red tape hits small firms"),
    (
        "earthquake",
        "Earthquake shakes southern Turkey",
        "Political earthquake as party loses safe seat",
    ),
    (
        "ghetto",
        "Museum marks anniversary of Warsaw ghetto uprising",
        "Council estate branded a ghetto",
    ),
    ("mob", "Mob boss jailed for twenty years", "Student mob silences visiting speaker"),
    ("herd", "Farmer's herd of cattle wins county prize", "Voters follow the herd on Europe"),
    ("sheep", "Sheep farmers hit by low wool prices", "MPs vote like sheep, says rebel"),
    ("scum", "Pond scum harms fish stocks in lake", "Judge calls the looters scum"),
    ("filth", "Inspectors find filth in hospital kitchens", "Tabloid calls protesters filth"),
    ("feral", "Colony of feral cats grows near the docks", "Feral youths terrorise housing estate"),
    (
        "parasite",
        "Parasite found in trout at fish farm",
        "Minister calls benefit claimants parasites",
    ),
    ("vulture", "Rare vulture spotted over Welsh hills", "Vulture funds circle struggling firm"),
    (
        "leech",
        "Hospital uses leech therapy after surgery",
        "Tax dodgers are leeches on the public, says MP",
    ),
    ("snake", "Snake found in Sydney family's toilet", "Senator calls his rival a snake"),
    ("pig", "Pig farmers face higher feed costs", "Pigs at the trough: MPs claim expenses again"),
    ("firestorm", "Firestorm destroys homes near forest", "Firestorm over minister's tweet"),
    ("torrent", "Torrent of water floods valley road", "Torrent of abuse aimed at referee"),
    ("gut", "Gut bacteria linked to mood, study finds", "Council guts youth services"),
    ("hijack", "Plane hijack ends after six hours", "Activists hijack climate debate"),
    ("drain", "Blocked drain floods village street", "Migrants drain the health service, says MP"),
]

# Written after the dev set above and BEFORE any context form was tuned on it: a held-out set
# of other word families (none shared with SENSES), to report beside the dev set. Each is
# (word family, literal headline, loaded headline), as in SENSES.
SENSES_HELDOUT = [
    (
        "storm",
        "Storm knocks out power to thousands of homes",
        "Minister caught in storm of outrage over expenses",
    ),
    (
        "avalanche",
        "Avalanche kills two skiers in the Alps",
        "Avalanche of complaints buries council",
    ),
    ("deluge", "Deluge of rain closes mountain roads", "Deluge of asylum claims swamps officials"),
    (
        "explosion",
        "Explosion at chemical plant injures workers",
        "Explosion of knife crime terrifies residents",
    ),
    (
        "epidemic",
        "Cholera epidemic spreads in refugee camps",
        "Epidemic of political correctness sweeps campuses",
    ),
    (
        "inferno",
        "Inferno destroys warehouse on industrial estate",
        "Inferno of hate engulfs social media",
    ),
    ("wave", "Huge wave damages harbour wall", "Wave of migrants hits Greek islands"),
    (
        "locust",
        "Locusts strip crops across east Africa",
        "Tourist locusts strip the city bare, say residents",
    ),
    ("rat", "Rats spotted in hospital kitchen", "Leader calls party defectors rats"),
    (
        "cockroach",
        "Cockroaches found in takeaway kitchen",
        "Columnist likens migrants to cockroaches",
    ),
    (
        "monster",
        "Children's book about a friendly monster wins award",
        "Monster jailed for killing pensioner",
    ),
    ("animal", "Animal shelter appeals for volunteers", "Judge calls the attackers animals"),
    ("bleed", "Patient bleeds after routine surgery", "Greedy council bleeds taxpayers dry"),
    ("choke", "Toddler chokes on grape at nursery", "Red tape chokes small businesses"),
    ("strangle", "Police find woman strangled in flat", "Regulations strangle British farmers"),
    ("cesspit", "Council empties village cesspit", "Westminster is a cesspit, says former MP"),
    ("sewer", "Sewer collapse closes high street", "Social media has become a sewer, says bishop"),
    (
        "jungle",
        "Jungle trek finds rare orchid",
        "City streets have become a jungle, says police chief",
    ),
    ("prey", "Eagle seizes its prey over the lake", "Loan sharks prey on desperate families"),
    (
        "wolf",
        "Wolf sighting reported in Dutch forest",
        "Wolf pack of bankers circles struggling firms",
    ),
    ("hyena", "Hyena cubs born at safari park", "Media hyenas circle the wounded minister"),
    ("rot", "Dry rot found in church roof", "Rot at the heart of the police force"),
    (
        "bulldoze",
        "Council bulldozes derelict flats",
        "Government bulldozes bill through parliament",
    ),
    ("torpedo", "Navy tests new torpedo in the Atlantic", "Rebels torpedo peace deal"),
    ("hostage", "Hostage freed after ten days in captivity", "Unions hold the country hostage"),
    ("bomb", "Police defuse wartime bomb in harbour", "Tax bombshell for hard-working families"),
    ("massacre", "Survivors remember the Srebrenica massacre", "Tory massacre at the polls"),
    (
        "plunder",
        "Tomb was plundered by robbers in ancient times",
        "Pension funds plundered by greedy bosses",
    ),
    ("torch", "Olympic torch relay reaches Paris", "Critic torches singer's new album"),
    ("fume", "Exhaust fumes linked to asthma in children", "Minister fumes over leaked memo"),
    ("smear", "Cervical smear test uptake falls", "Minister denies smear campaign against rival"),
    ("crooked", "Crooked tower leans further each year", "Crooked bankers escape jail again"),
    ("rabid", "Rabid fox found in city park", "Rabid fans hurl abuse at referee"),
    (
        "venomous",
        "Venomous spider found in banana shipment",
        "Venomous attack on rival by party chief",
    ),
    ("poisonous", "Poisonous mushrooms make family ill", "Poisonous rhetoric divides the nation"),
    (
        "nightmare",
        "Children's nightmares linked to screen time, study finds",
        "Nightmare for commuters as fares rise",
    ),
    (
        "slaughter",
        "Slaughter of cattle suspended after disease outbreak",
        "Party faces slaughter at the polls",
    ),
    ("pariah", "Pariah dog breed recognised by kennel club", "Pariah state tests another missile"),
    ("tyrant", "Museum unveils tyrannosaurus skeleton", "Tyrant crushes dissent in the capital"),
    (
        "dictator",
        "Historians revisit the Roman dictator Cincinnatus",
        "Dictator jails opposition leaders",
    ),
    ("hermit", "Hermit crab numbers rise on the beach", "Hermit nation fires missile over Japan"),
    (
        "stagger",
        "Injured man staggers into police station",
        "Staggering cost of the minister's vanity project",
    ),
    ("shock", "Electric shock kills factory worker", "Shocking betrayal of loyal voters"),
    (
        "spineless",
        "Spineless cactus variety developed for farmers",
        "Spineless MPs cave in to pressure",
    ),
    (
        "snowflake",
        "Photographer captures snowflake crystals up close",
        "Snowflake students demand safe spaces",
    ),
    ("lunatic", "Victorian lunatic asylum to become flats", "Lunatic plan to scrap pensions"),
]

# (sensational headline, sober rewrite of the same event)
TABLOID = [
    ("Fury as council hikes parking charges again", "Council raises parking charges"),
    ("Heartbreak as family loses everything in blaze", "Family's home destroyed in fire"),
    ("Chaos at Heathrow as thousands stranded", "Flights delayed at Heathrow"),
    ("Horror as dog mauls toddler in park", "Dog bites child in park"),
    ("Outrage as bosses pocket huge bonuses", "Company executives receive bonuses"),
    ("Shock as school bans packed lunches", "School changes its lunch policy"),
    ("Terror as gunman storms shopping centre", "Police respond to armed man at shopping centre"),
    ("Agony for fans as star quits club", "Player leaves club"),
    ("Misery for commuters as rail strike cripples network", "Rail strike affects train services"),
    ("Panic buying sweeps nation as fuel crisis deepens", "Fuel sales rise amid supply problems"),
    ("Devastated mum's tragic plea after son's death", "Mother speaks after son's death"),
    ("Storm of fury over TV star's shocking rant", "TV presenter criticised for remarks"),
    (
        "Nightmare for holidaymakers as airport meltdown strands thousands",
        "Airport delays affect holidaymakers",
    ),
    ("Bloodbath on the high street as stores close", "Several high street stores to close"),
    ("Furious residents blast plans for monster mast", "Residents object to plans for phone mast"),
    ("Killer heatwave to scorch Britain", "Hot weather expected this week"),
    ("Shameless MPs grab pay rise", "MPs receive pay rise"),
    ("Benefit cheats rake in millions", "Benefit fraud estimated at millions"),
    ("Sickening attack on pensioner caught on camera", "Assault on pensioner recorded on camera"),
    ("Tragic tot dies in horror crash", "Child dies in road accident"),
    ("Evil thug jailed for vile attack", "Man jailed for assault"),
    ("Britain braced for snow chaos", "Snow forecast for parts of Britain"),
    ("Fat cat bosses award themselves another pay bonanza", "Executives' pay rises again"),
    ("Migrant crisis spirals out of control", "Number of migrants arriving rises"),
    ("Meddling Brussels bureaucrats ban kettles", "EU sets new efficiency rules for kettles"),
    ("Scandal-hit minister clings on", "Minister remains in post after inquiry"),
    ("Jobs bloodbath as factory shuts", "Factory closure to cost jobs"),
    ("Drivers fleeced by rip-off parking fines", "Parking fines rise for drivers"),
    ("Pensioners left freezing as energy bills soar", "Energy bills increase for pensioners"),
    ("Superbug fears grip hospital", "Hospital reports cases of infection"),
    ("Cops slammed over bungled probe", "Police criticised over investigation"),
    ("Outrage as yobs trash war memorial", "War memorial damaged by vandals"),
    ("Horror smash leaves motorway carnage", "Motorway closed after collision"),
    ("Rail fares to soar in fresh blow for commuters", "Rail fares to rise next year"),
    ("Heartbroken parents' fury over school closure", "Parents respond to school closure"),
    ("Shock figures reveal NHS in crisis", "Figures show hospital waiting times rise"),
    ("Holiday hell as tourists stranded", "Tourists delayed abroad"),
    ("Frenzy as shoppers scramble for bargains", "Shoppers attend winter sales"),
    ("Greedy landlords cash in on housing crisis", "Rents rise amid housing shortage"),
    ("Petrol prices rocket to record high", "Petrol prices reach record level"),
    ("Terrifying moment cliff collapses onto beach", "Part of cliff falls onto beach"),
    ("Mayhem as protesters storm town hall", "Protesters enter town hall"),
]

NEUTRAL_6 = [
    "The council published its annual report.",
    "Officials met on Tuesday to talk.",
    "The company reported higher quarterly sales.",
    "Parliament will debate the bill tomorrow.",
    "The museum reopens to visitors today.",
]

NEUTRAL_20 = [
    "The regional council said on Tuesday that it would publish the results of the review of bus routes next month.",
    "Officials from the two countries met in the capital to discuss trade, energy and transport links between their economies.",
    "The company reported higher sales in the third quarter and said it expected demand to remain steady into next year.",
    "Members of parliament will debate the bill on Thursday after the committee finished its review of the proposed changes.",
    "The museum will reopen to visitors next week after a renovation of its main hall and two of its galleries.",
]

NEUTRAL_40 = [
    "The regional council said on Tuesday that it would publish the results of its review of bus routes next month, after a consultation in which residents, local businesses and two schools were asked how often they travel and which stops they use.",
    "Officials from the two countries met in the capital on Wednesday to discuss trade, energy and transport links, and a spokesman said that the delegations had agreed to hold a further round of meetings in the spring to review progress on the agreement.",
    "The company reported higher sales in the third quarter, helped by demand for its home appliances in Europe, and said in a statement to investors that it expected orders to remain steady into next year while it opens two new warehouses in the north.",
    "Members of parliament will debate the bill on Thursday after the committee finished its review of the proposed changes to planning rules, which would allow councils to approve small housing projects more quickly and require developers to publish their traffic assessments.",
    "The museum will reopen to visitors next week after a renovation of its main hall and two of its galleries, and the director said that the collection of maps and letters from the nineteenth century would be shown again from the first of March.",
    "The weather service said that temperatures would stay close to the seasonal average for the rest of the week, with light rain expected in the west on Friday and dry conditions across most of the country during the weekend and into next Monday.",
]

# loaded words that are not entries of loaded_terms.txt (checked by the tests)
OTHER_LOADED_WORDS = [
    "scaremongering", "despicable", "grotesque", "treacherous", "odious", "vindictive",
    "repugnant", "loathsome", "nauseating", "contemptible", "vitriolic", "belligerent",
    "spiteful", "sleazy", "scheming", "fanatical", "thuggery", "xenophobic", "bonkers", "barmy",
]  # fmt: skip


def inserted(word: str, sentence: str) -> str:
    """``sentence`` with ``word`` put before its last noun phrase's head: after its first
    word "The"/"Officials"/"Members" and before the rest (a fixed place, so every length
    holds the word at the same distance from the start)."""
    first, rest = sentence.split(" ", 1)
    return f"{first} {word} {rest}"
