"""The demo area's records, as data. Fictional names; real UK coordinates (Leicester).

Stage 6 (move-on and rehousing) is left empty on purpose: the analysis should find it. So is emergency
accommodation (stage 4) for young people: the Foyer (stage 5) and two services at stages 1-2 take them, no hostel
does, and the Care Leavers Housing Team reports it.
Each service row: key, name, organisation, service types, stages, client groups, extras.
"""

AREA = {
    "name": "Demo: Soarbridge (fictional)",
    "slug": "demo-soarbridge",
    "centre_lat": 52.6369,
    "centre_lon": -1.1398,
    "zoom": 13,
}

SERVICES = [
    # key, name, organisation, types, stages, client groups, extras
    ("opts", "Soarbridge Housing Options", "Soarbridge City Council", ["housing_options"], [1, 3], ["single_adults", "families"], {"self_referral": True}),
    ("advice", "Clocktower Advice Centre", "Clocktower Advice Trust", ["advice_advocacy"], [1], ["single_adults", "families"], {"self_referral": True, "open_to_research": True, "research_topics": "prevention, welfare advice"}),
    ("advocacy", "Riverside Advocacy Project", "Riverside Advocacy", ["advice_advocacy"], [1], ["complex_needs"], {}),
    ("welfare", "Soarbridge Work and Welfare Hub", "Soarbridge Works", ["employment_welfare"], [1, 7], ["single_adults"], {}),
    ("da_outreach", "Safe Steps Domestic Abuse Outreach", "Safe Steps", ["domestic_abuse"], [1, 2], ["domestic_abuse_survivors", "women"], {}),
    ("outreach", "Soarbridge Street Outreach Team", "Open Door Soarbridge", ["street_outreach"], [2], ["rough_sleepers"], {"open_to_research": True, "research_topics": "rough sleeping, trauma-informed outreach"}),
    ("outreach_night", "Night Outreach Service", "St Anne's Trust", ["street_outreach"], [2], ["rough_sleepers"], {}),
    ("daycentre", "The Lantern Day Centre", "The Lantern", ["day_centre"], [2], ["rough_sleepers", "complex_needs"], {"self_referral": True, "open_to_research": True, "research_topics": "reflective practice, psychologically informed environments, peer support"}),
    ("daycentre2", "Highcross Drop-in", "Highcross Church", ["day_centre"], [2], ["single_adults"], {"self_referral": True}),
    ("health", "Inclusion Health Practice", "Soarbridge NHS Primary Care", ["inclusion_health"], [2, 3], ["rough_sleepers", "complex_needs"], {"open_to_research": True, "research_topics": "health inequalities, hospital discharge"}),
    ("navigator", "Pathway Navigators", "Open Door Soarbridge", ["navigator"], [2], ["complex_needs"], {}),
    ("hub", "Soarbridge Assessment Hub", "Soarbridge City Council", ["assessment_hub"], [3], ["single_adults"], {}),
    ("mh", "Community Mental Health Team (Central)", "Soarbridge NHS Trust", ["mental_health"], [3], ["complex_needs"], {}),
    ("drugs", "Turning Point Recovery Service", "Recovery Partnership", ["substance_use"], [3, 7], ["complex_needs"], {"open_to_research": True, "research_topics": "substance use, recovery, peer research"}),
    ("dual", "Dual Diagnosis Liaison", "Soarbridge NHS Trust", ["dual_diagnosis"], [3], ["complex_needs"], {}),
    ("probation", "Probation Accommodation Service", "Probation Service (Soarbridge)", ["criminal_justice"], [3], ["prison_leavers"], {}),
    ("hospital", "Hospital Discharge Housing Team", "Soarbridge Royal Infirmary", ["hospital_acute"], [3], ["hospital_discharge"], {}),
    ("asc", "Adult Social Care Front Door", "Soarbridge City Council", ["adult_social_care"], [3], ["older_people", "complex_needs"], {}),
    ("shelter", "Winter Night Shelter", "Churches Together Soarbridge", ["emergency_accommodation"], [4], ["rough_sleepers"], {}),
    ("swep", "SWEP Emergency Beds", "Soarbridge City Council", ["emergency_accommodation"], [4], ["rough_sleepers"], {}),
    ("hostel1", "Gateway Direct-Access Hostel", "Gateway Housing", ["direct_access_hostel"], [4], ["single_adults", "complex_needs"], {"open_to_research": True, "research_topics": "psychologically informed environments, evictions"}),
    ("hostel2", "Bridge Street Hostel", "Bridge Housing Association", ["direct_access_hostel"], [4], ["single_adults"], {}),
    ("ta", "Family Temporary Accommodation", "Soarbridge City Council", ["temporary_accommodation"], [4], ["families"], {}),
    ("refuge", "Safe Haven Refuge", "Safe Steps", ["domestic_abuse", "specialist_supported"], [4, 5], ["domestic_abuse_survivors", "women", "families"], {"confidential": True}),
    ("second1", "Oak House Supported Housing", "Gateway Housing", ["second_stage_supported"], [5], ["single_adults"], {}),
    ("second2", "Willow Court", "Bridge Housing Association", ["second_stage_supported"], [5], ["single_adults"], {}),
    ("second3", "Foyer for Young People", "Soarbridge Foyer", ["second_stage_supported"], [5], ["young_people", "care_leavers"], {"open_to_research": True, "research_topics": "young people, care leavers, co-production"}),
    ("specialist1", "Complex Needs Supported Housing", "Recovery Partnership", ["specialist_supported"], [5], ["complex_needs"], {}),
    ("specialist2", "Women's Supported Housing", "Safe Steps", ["specialist_supported"], [5], ["women"], {}),
    ("veterans", "Eastgate Veterans' Housing Advice", "Eastgate Veterans", ["advice_advocacy"], [1], ["veterans"], {}),
    ("hf", "Housing First Soarbridge", "Open Door Soarbridge", ["housing_first"], [7], ["complex_needs", "rough_sleepers"], {"open_to_research": True, "research_topics": "housing first, fidelity, tenancy sustainment"}),
    ("tenancy1", "Tenancy Sustainment Team", "Soarbridge Homes", ["tenancy_sustainment"], [7], ["single_adults", "families"], {}),
    ("tenancy2", "Floating Support Service", "Bridge Housing Association", ["tenancy_sustainment"], [7], ["single_adults"], {}),
    ("social", "Soarbridge Homes", "Soarbridge Homes", ["social_housing_provider"], [7], ["single_adults", "families"], {}),
    ("lettings", "Key Lettings (Private Rented Access)", "Key Lettings CIC", ["lettings_prs_access"], [7], ["single_adults"], {}),
    ("peer", "Experts by Experience Soarbridge", "Voices of Soarbridge", ["lived_experience_org"], [7], ["complex_needs"], {"open_to_research": True, "research_topics": "peer research, lived experience, co-production"}),
    ("recovery_cafe", "Recovery Café", "Recovery Partnership", ["substance_use"], [7], ["complex_needs"], {"self_referral": True}),
    ("careleavers", "Care Leavers Housing Team", "Soarbridge City Council", ["adult_social_care"], [1], ["care_leavers", "young_people"], {}),
    ("nrpf", "Migrant Housing Advice", "Migrant Help Soarbridge", ["advice_advocacy"], [1, 3], ["nrpf", "refugees_migrants"], {}),
    ("commissioner", "Homelessness Commissioning Team", "Soarbridge City Council", ["commissioner"], [], [], {}),
    ("lgbt", "Rainbow Housing Support", "Rainbow Soarbridge", ["other"], [1, 2], ["lgbtq", "young_people"], {}),
    ("older", "Later Life Housing Support", "Age Soarbridge", ["adult_social_care"], [7], ["older_people"], {}),
]

FORUMS = [
    ("hforum", "Soarbridge Homelessness Forum", "homelessness_forum", "monthly", True),
    ("strategy", "Homelessness and Rough Sleeping Strategy Group", "strategy_group", "quarterly", False),
    ("meam", "Changing Futures Soarbridge Board", "strategic_board", "bimonthly", False),
    ("casegroup", "Rough Sleeping Operational Case Group", "operational_case_group", "weekly", False),
    ("pie", "Soarbridge PIE Network", "community_of_practice", "monthly", True),
    ("lived", "Lived Experience Panel", "lived_experience_panel", "monthly", True),
    ("sab", "Soarbridge Safeguarding Adults Board", "safeguarding_adults_board", "quarterly", False),
]

RESEARCHERS = [
    ("r_pie", "Dr Amira Okafor", "University of Soarbridge", "Psychology", "psychologically informed environments, reflective practice", "qualitative interviews, realist evaluation", ["researcher_in_residence", "evidence_generating_practice"]),
    ("r_hf", "Housing First Evaluation Group", "Midlands Housing Research Centre", "Social policy", "housing first, fidelity, tenancy sustainment", "mixed methods, fidelity review", ["evaluation_partner"]),
    ("r_peer", "Peer Research Collective", "Voices Research CIC", "Community research", "peer research, lived experience, co-production", "peer interviews, participatory action research", ["peer_research", "knowledge_exchange"]),
    ("r_health", "Prof. Sam Whitfield", "Soarbridge Medical School", "Public health", "health inequalities, hospital discharge, inclusion health", "cohort studies, data linkage", ["evaluation_partner", "commissioned_research"]),
    ("r_youth", "Dr Lena Fischer", "University of Soarbridge", "Social work", "young people, care leavers, transitions", "ethnography, case studies", ["researcher_in_residence", "student_placement"]),
    ("r_sub", "Recovery Research Unit", "Soarbridge Medical School", "Addiction studies", "substance use, recovery, dual diagnosis", "trials, qualitative", ["evaluation_partner"]),
    ("r_sys", "Dr Priya Raman", "Institute for Local Systems", "Geography", "pathways, system coherence, network analysis", "social network analysis, GIS", ["knowledge_exchange", "commissioned_research"]),
    ("r_student", "MSc Housing Studies Placements", "University of Soarbridge", "Housing studies", "prevention, evictions, private rented sector", "surveys, interviews", ["student_placement"]),
]

BARRIERS = [
    ("hostel1", "capacity_full", 4, "Beds full most nights; people turned away to the night shelter.", "public"),
    ("hostel1", "risk_exclusion", 4, "People with arson history cannot be placed under our insurer's terms.", "members"),
    ("second1", "no_move_on", 5, "Residents ready to move wait over a year for a tenancy.", "public"),
    ("second2", "no_move_on", 5, "No move-on route into social or private rented housing.", "public"),
    ("specialist1", "needs_too_complex", 5, "Referrals with both mental health and substance use needs are declined by partners.", "public"),
    ("hospital", "transition_cliff_edge", 3, "People discharged on a Friday with nowhere to go.", "public"),
    ("nrpf", "eligibility_legal", 3, "No recourse to public funds: no accommodation route at all.", "public"),
    ("outreach", "referrals_rejected", 2, "Assessment hub referrals from outreach are often returned.", "coordinators"),
    ("dual", "dual_diagnosis_exclusion", 3, "Mental health team will not assess while someone is using.", "public"),
    ("daycentre", "funding", None, "Funding renewed one year at a time.", "public"),
    ("careleavers", "transition_cliff_edge", 4, "Care leavers turned 18 wait weeks for an emergency bed: no hostel here takes under-25s.", "public"),
]
