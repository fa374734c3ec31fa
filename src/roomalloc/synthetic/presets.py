"""Named presets: the families of problems users meet, as changes to the campus defaults.

``campus`` term-long dormitory; ``staff_housing`` company housing with staff and visitors over
a period; ``hostel`` short rolling stays; ``ward`` hospital-like (needs, gender, short stays,
many required); ``reallocation`` a campus with incumbents, some locked.

Example
-------
>>> sorted(PRESETS)
['campus', 'hostel', 'reallocation', 'staff_housing', 'ward']
>>> PRESETS["ward"].gender_designation
'floor'
"""

from __future__ import annotations

from roomalloc.synthetic.knobs import FeatureSpec, Knobs

CAMPUS = Knobs()

STAFF_HOUSING = Knobs(
    # Company flats and rooms: mostly singles, shared with colleagues; families share rooms,
    # so mixing is allowed and nothing is designated.
    supply_ratio=1.0,
    capacity_mix=(0.55, 0.30, 0.10, 0.05),
    building_rooms=60,
    rooms_per_floor=10,
    bed_cost=(900, 700, 600, 520),
    features=(
        FeatureSpec("accessible", 0.05, need=0.7, like=0.02),
        FeatureSpec("ensuite", 0.50, need=0.1, like=0.35, premium=0.15),
        FeatureSpec("kitchen", 0.40, need=0.1, like=0.35, dislike=0.3, premium=0.10),
        FeatureSpec("quiet", 0.10, scope="floor", need=0.05, like=0.2),
        FeatureSpec("pet_friendly", 0.05, need=0.05, like=0.08, dislike=0.7, premium=0.05),
    ),
    gender_mixing="allow",
    gender_designation="none",
    designated_share=0.0,
    # A four-month window; a little over half are staff staying throughout, the rest are
    # visitors for days to a month; a few rooms close for repairs.
    period_days=120,
    long_stay_share=0.55,
    stay_roles=("staff", "visitor"),
    stay_days=(3, 30),
    maintenance_share=0.05,
    maintenance_days=(3, 14),
    needs_share=0.03,
    private_share=0.05,
    budget_share=0.30,
    priority_levels=(1.0, 2.0),
    priority_shares=(0.6, 0.4),
    priority_attribute="grade",
    required_share=0.20,
    preferences_mean=2.5,
    clique_share=0.08,
    one_sided_share=0.03,
    avoid_share=0.01,
    group_share=0.06,
    objective=(("housed", 1000.0), ("preferences", 1.0), ("roommates", 2.0), ("cost", 0.01)),
)

HOSTEL = Knobs(
    # Dormitories of four dominate; some private rooms; mixed dorms with a few single-gender
    # floors; prices per night.
    supply_ratio=1.0,
    capacity_mix=(0.10, 0.25, 0.15, 0.50),
    building_rooms=40,
    rooms_per_floor=10,
    bed_cost=(60, 40, 32, 25),
    features=(
        FeatureSpec("accessible", 0.03, need=0.8, like=0.02),
        FeatureSpec("ensuite", 0.30, need=0.1, like=0.40, premium=0.25),
        FeatureSpec("quiet", 0.15, scope="floor", need=0.1, like=0.30),
        FeatureSpec("lockers", 0.60, like=0.28, premium=0.05),
    ),
    gender_mixing="allow",
    gender_designation="floor",
    designated_share=0.15,
    period_days=60,
    stay_days=(1, 10),
    maintenance_share=0.03,
    maintenance_days=(2, 7),
    needs_share=0.01,
    private_share=0.05,
    budget_share=0.40,
    priority_levels=(1.0,),
    priority_shares=(1.0,),
    priority_attribute="",
    required_share=0.10,
    preferences_mean=2.0,
    preference_kinds=(0.30, 0.50, 0.15, 0.05),
    clique_share=0.30,
    one_sided_share=0.02,
    avoid_share=0.002,
    group_share=0.03,
)

WARD = Knobs(
    # Bays of four and single rooms, most of them accessible; single-sex bays by floor.
    supply_ratio=1.1,
    capacity_mix=(0.35, 0.15, 0.10, 0.40),
    building_rooms=60,
    rooms_per_floor=12,
    bed_cost=(0, 0, 0, 0),
    features=(
        FeatureSpec("accessible", 0.40, need=0.55, like=0.05),
        FeatureSpec("ensuite", 0.30, need=0.10, like=0.40),
        FeatureSpec("isolation", 0.12, need=0.20, like=0.05),
        FeatureSpec("monitoring", 0.20, need=0.15, like=0.05),
        FeatureSpec("quiet", 0.10, scope="floor", like=0.45),
    ),
    gender_mixing="forbid",
    gender_designation="floor",
    designated_share=0.6,
    genders=(("female", 0.52), ("male", 0.48)),
    period_days=28,
    long_stay_share=0.05,
    stay_days=(1, 12),
    maintenance_share=0.02,
    maintenance_days=(1, 5),
    needs_share=0.30,
    private_share=0.05,
    budget_share=0.0,
    priority_levels=(1.0, 2.0, 3.0),
    priority_shares=(0.5, 0.35, 0.15),
    priority_attribute="urgency",
    required_share=0.60,
    required_by_priority=True,
    preferences_mean=1.0,
    preference_kinds=(0.2, 0.6, 0.2, 0.0),
    dislike_share=0.05,
    clique_share=0.0,
    one_sided_share=0.01,
    avoid_share=0.005,
    group_share=0.01,
)

REALLOCATION = Knobs(
    # A campus in mid-year: most residents already live somewhere; some may not move.
    incumbent_share=0.70,
    locked_share=0.15,
    objective=(("housed", 1000.0), ("preferences", 1.0), ("roommates", 2.0), ("moves", 5.0)),
)

PRESETS: dict[str, Knobs] = {
    "campus": CAMPUS,
    "staff_housing": STAFF_HOUSING,
    "hostel": HOSTEL,
    "ward": WARD,
    "reallocation": REALLOCATION,
}
