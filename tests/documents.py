"""Customer documents in the shapes of Capillary's lookup and by-id responses.

Written for these tests (values are invented); each function returns a fresh dict, so a test
may change it freely.
"""

from typing import Any

TILL = {"id": 5001, "code": "store.till.7", "name": "Store 7 till", "type": "TILL"}


def complete_document() -> dict[str, Any]:
    """Every documented block, as a lookup with every embed and flag would return it."""
    return {
        "id": 4242,
        "associatedWith": "store.till.7",
        "extendedFields": {"city": "Pune", "gender": "Female", "dob_year": 1990},
        "segments": {"Value": "High", "Lifecycle": "Active"},
        "warnings": [
            {"status": False, "code": 8050, "message": "Same Customer found in other sources"}
        ],
        "profiles": [
            {
                "firstName": "Asha",
                "lastName": "Verma",
                "source": "INSTORE",
                "accountId": "",
                "userId": 4242,
                "autoUpdateTime": "2024-03-02T09:15:00+05:30",
                "attribution": {
                    "createDate": "2023-01-10T11:00:00+05:30",
                    "createdBy": dict(TILL),
                    "modifiedBy": {"id": 5002, "code": "hq.till", "name": "HQ", "type": "TILL"},
                    "modifiedDate": "2024-03-01T18:45:10Z",
                },
                "fields": {"preferred_store": "Pune Central", "newsletter": "true"},
                "identifiers": [
                    {"type": "mobile", "value": "919800000011"},
                    {"type": "email", "value": "asha@example.com"},
                    {"type": "externalId", "value": "EXT-0042"},
                    {
                        "type": "cardNumber",
                        "value": "CARD0000042",
                        "seriesId": 31,
                        "statusLabel": "ACTIVE",
                    },
                ],
                "identifiersAll": [{"type": "externalId", "value": "EXT-0042"}],
                "commChannels": [
                    {
                        "type": "mobile",
                        "value": "919800000011",
                        "primary": True,
                        "verified": True,
                        "meta": {"residence": True, "office": False},
                        "attributes": {"operator": "any"},
                    },
                    {
                        "type": "email",
                        "value": "asha@example.com",
                        "primary": True,
                        "verified": False,
                        "meta": {"residence": False, "office": False},
                        "attributes": {},
                    },
                ],
                "conflictingProfileList": [],
            },
            {
                "firstName": "Asha",
                "lastName": "V",
                "source": "WECHAT",
                "accountId": "wx-account-1",
                "userId": 4242,
                "attribution": {"createDate": "2023-05-05T10:00:00+08:00"},
                "identifiers": [{"type": "wechat", "value": "wx-openid-42"}],
                "commChannels": [
                    {"type": "wechat", "value": "wx-openid-42", "primary": True, "verified": True}
                ],
            },
        ],
        "loyaltyInfo": {
            "loyaltyType": "loyalty",
            "lifetimePurchases": 56000.5,
            "attributionV2": {
                "createDate": "2023-01-10T11:00:00+05:30",
                "createdBy": {"code": "store.till.7", "name": "Store 7 till"},
                "modifiedDate": "2024-03-01T18:45:10Z",
                "createdFromSource": "instore",
            },
        },
        "fraudDetails": {
            "status": "MARKED",
            "markedBy": {"code": "hq.till"},
            "modifiedOn": "2024-02-01T10:00:00+05:30",
        },
        "loyaltyProgramDetails": [
            {
                "programId": 700,
                "programTitle": "Main Rewards",
                "programDescription": "The main program",
                "programPointsToCurrencyRatio": 0.25,
                "loyaltyId": 9900,
                "currentSlab": "Silver",
                "currentSlabDescription": "Tier 2",
                "slabSNo": 2,
                "slabExpiryDate": "2026-12-31T23:59:59+05:30",
                "nextSlab": "Gold",
                "nextSlabSerialNumber": 3,
                "nextSlabDescription": "Tier 3",
                "loyaltyPoints": 1250.0,
                "lifetimePoints": 4000.0,
                "redeemed": 2500.0,
                "expired": 150.0,
                "returned": 100.0,
                "adjusted": 0.0,
                "cumulativePurchases": 56000.5,
                "delayedPoints": 75.0,
                "delayedReturnedPoints": 5.0,
                "delayedExpiredPoints": 2.0,
                "totalAvailablePoints": 1250.0,
                "totalReturnedPoints": 105.0,
                "linkedPartnerPrograms": [{"partnerProgramName": "Airline"}],
                "upgradeStrategies": [
                    {
                        "upgradeBasedOn": "CUMULATIVE_PURCHASES",
                        "upgradeThreshold": 80000.0,
                        "customerUpgradeEntityValues": {
                            "currentValue": 56000.5,
                            "gapToUpgrade": 23999.5,
                            "valueValidUpto": "2026-12-31",
                        },
                    }
                ],
                "gapToRenewSummary": {
                    "tierExpiryDate": "2026-12-31",
                    "renewConfirmed": False,
                    "renewStrategies": [
                        {
                            "renewBasedOn": "VISITS",
                            "renewThreshold": 12.0,
                            "customerRenewEntityValue": 9.0,
                            "customerGapToRenewValue": 3.0,
                            "trackerEntityIdentifiers": [{"trackerName": "Store visits"}],
                        },
                        {
                            "renewBasedOn": "PURCHASE",
                            "renewThreshold": 30000.0,
                            "customerRenewEntityValue": 12000.0,
                            "customerGapToRenewValue": 18000.0,
                        },
                    ],
                },
            },
            {
                "programId": 701,
                "programTitle": "Partner Club",
                "currentSlab": "Platinum",
                "slabSNo": 4,
                "slabExpiryDate": "2125-11-19T23:59:59Z",
                "nextSlab": "",
                "nextSlabSerialNumber": -1,
                "nextSlabDescription": "",
                "loyaltyPoints": 54500.0,
                "lifetimePoints": 54500.0,
                "upgradeStrategies": [],
                "gapToRenewSummary": [
                    {
                        "tierExpiryDate": "2125-11-19",
                        "renewConfirmed": True,
                        "renewStrategies": [
                            {
                                "renewBasedOn": "POINTS",
                                "renewThreshold": 5000,
                                "customerRenewEntityValue": 5200,
                                "customerGapToRenewValue": 0,
                            }
                        ],
                    }
                ],
            },
            {
                "programId": 702,
                "programTitle": "Tracker Program",
                "currentSlab": "Blue",
                "slabSNo": 1,
                "slabExpiryDate": "2121-05-07T23:48:47+05:30",
                "nextSlab": "Green",
                "nextSlabSerialNumber": 2,
                "loyaltyPoints": 10,
                "upgradeStrategies": [
                    {
                        "upgrade_based_on": "TRACKER_VALUE_BASED",
                        "upgrade_entity_identifers": {"tracker_name": "2 Years Tracker"},
                        "upgrade_threshold": "25000",
                        "customer_upgrade_entity_values": {
                            "current_value": "9786",
                            "gap_to_upgrade": "15214",
                            "value_valid_upto": "2027-05-06",
                        },
                    }
                ],
            },
        ],
        "pointsSummary": {
            "currentSlab": "Silver",
            "slabSNo": 2,
            "nextSlab": "Gold",
            "nextSlabSerialNumber": 3,
            "slabExpiryDate": "2026-12-31T23:59:59+05:30",
            "loyaltyPoints": 1250.0,
            "lifetimePoints": 4000.0,
            "redeemed": 2500.0,
            "expired": 150.0,
            "returned": 100.0,
            "adjusted": 0.0,
            "cumulativePurchases": 56000.5,
            "loyaltyId": 9900,
        },
        "groupLoyaltyProgramDetails": [
            {
                "groupProgramId": 700,
                "title": "Group Rewards",
                "description": "All brands",
                "programsList": [
                    {"id": 700, "name": "Main Rewards", "description": "The main program"},
                    {"id": 701, "name": "Partner Club", "description": ""},
                ],
                "lifetimePoints": 58500.0,
                "loyaltyPoints": 55750.0,
                "promisedPoints": 75.0,
                "pointsToCurrencyRatio": 1.0,
            }
        ],
        "cardDetails": [
            {
                "cardId": 880,
                "id": 880,
                "cardNumber": "CARD0000042",
                "cardExternalId": "card-ext-42",
                "type": "PHYSICAL",
                "seriesId": 31,
                "seriesName": "Gold plastic",
                "seriesCode": "GP31",
                "issuedDate": "2023-01-10T11:05:00Z",
                "createdDate": "2023-01-10",
                "expiryDate": "2027-01-31T23:59:59Z",
                "expiryDays": 1480,
                "maxActiveCards": 2,
                "customerId": 4242,
                "orgId": 100,
                "entityId": 5001,
                "customFields": {"embossed_name": "ASHA V"},
                "extendedFields": {"card_balance": 12.5},
                "transactionNotAllowed": False,
                "activeAndDigital": False,
                "statusInfo": {
                    "status": "ACTIVE",
                    "label": "Active",
                    "reason": "",
                    "isActive": True,
                    "createdOn": "2023-01-10T11:05:00Z",
                    "createdBy": 5001,
                    "autoUpdateTime": "2023-01-10",
                    "actions": [],
                    "id": 990,
                    "labelId": 12,
                    "entityId": 880,
                },
            },
            {
                "cardId": 881,
                "cardNumber": "DIGI0000042",
                "type": "DIGITAL",
                "expiryDate": "2125-01-01",
                "statusInfo": {
                    "status": "SUSPENDED",
                    "label": "Suspended",
                    "reason": "Reported lost",
                    "isActive": False,
                },
            },
        ],
        "alternateCurrencyDetails": [
            {
                "programId": 700,
                "programName": "Main Rewards",
                "alternateCurrencyData": {
                    "name": "Stars",
                    "earned": 40.0,
                    "lifetimeEarned": 90.0,
                    "redeemed": 50.0,
                    "expired": 0.0,
                    "returned": 0.0,
                    "delayedEarned": 5.0,
                    "delayedLifetimeEarned": 5.0,
                    "delayedReturned": 0.0,
                    "delayedExpired": 0.0,
                    "totalAvailable": 40.0,
                    "totalRedeemed": 50.0,
                    "totalReturned": 0.0,
                    "totalExpired": 0.0,
                },
            }
        ],
        "subscriptionInfo": {
            "subscriptions": [
                {"channel": "EMAIL", "priority": "TRANS", "type": "OPTIN"},
                {"channel": "SMS", "priority": "BULK", "type": "OPTOUT"},
            ]
        },
        "promotionalPoints": {
            "customerPromotionType": [
                {
                    "points": 200.0,
                    "issuedAt": {"code": "store.till.7", "name": "Store 7 till"},
                    "issuedOn": "2024-01-05T12:00:00+05:30",
                    "expiryDate": "2024-12-31T23:59:59+05:30",
                    "promotionSource": {
                        "promotionSourceId": -1,
                        "promotionSourceType": "GOODWILL",
                    },
                    "programId": 700,
                    "promotionName": "Goodwill",
                }
            ],
            "transactionPromotionType": [
                {"points": 20.0, "promotionName": "Double points day", "programId": 700}
            ],
            "lineitemPromotionType": [],
        },
        "expirySchedules": [
            {
                "points": 400.0,
                "expiryDate": "2026-04-27",
                "programId": 700,
                "pointsType": "bill_regular",
                "expiryType": "fixed",
            },
            {"points": 850.0, "expiryDate": "2125-11-03", "programId": 700},
        ],
        "expiredPoints": [{"points": 150.0, "expiryDate": "2024-01-31", "programId": 700}],
        "customerImage": [
            {
                "filePath": "http://images.example.com/customers/4242.png",
                "secureFilePath": "https://images.example.com/customers/4242.png",
            }
        ],
        "customerStatus": {
            "label": "Active",
            "status": "ACTIVE",
            "reason": "Welcome",
            "createdOn": "2023-01-10T11:00:00+05:30",
            "labelId": 7,
        },
        "userGroup2": {
            "id": 3900,
            "externalId": "family-42",
            "groupStatus": "ACTIVE",
            "groupName": "Verma family",
            "createdOn": "2024-01-01T00:00:00Z",
            "maxGroupSize": 6,
            "totalActiveMembers": 3,
            "extendedFields": {"ug_status": "Active"},
            "gapToUpgrade": [
                {
                    "upgradeBasedOn": "CURRENT_POINTS",
                    "upgradeThreshold": 2000.0,
                    "customerUpgradeEntityValues": {
                        "currentValue": 500.0,
                        "gapToUpgrade": 1500.0,
                        "valueValidUpto": "2125-11-03",
                    },
                }
            ],
            "gapToRenew": {"tierExpiryDate": "2125-11-19", "renewConfirmed": False},
            "pointsSummaries": [
                {
                    "programId": 973,
                    "currentSlab": "Diamond",
                    "nextSlab": "",
                    "nextSlabSerialNumber": -1,
                    "slabSNo": 8,
                    "loyaltyPoints": 54500.0,
                    "pointsContributionToGroup": 0.0,
                }
            ],
        },
    }


def masked_document() -> dict[str, Any]:
    """A document from an org with PII masking on and a client without PSI access."""
    return {
        "id": 5151,
        "profiles": [
            {
                "firstName": "*****",
                "lastName": "*****",
                "source": "INSTORE",
                "identifiers": [
                    {"type": "mobile", "value": "*****"},
                    {"type": "email", "value": "*****"},
                    {"type": "externalId", "value": "EXT-5151"},
                ],
                "commChannels": [
                    {"type": "mobile", "value": "*****", "primary": True, "verified": True},
                    {"type": "email", "value": "*****", "primary": True, "verified": False},
                ],
            }
        ],
        "cardDetails": [{"cardNumber": "CARD0005151", "statusInfo": {"status": "ACTIVE"}}],
    }


def large_document(programs: int = 50, cards: int = 500) -> dict[str, Any]:
    """A member with many programs and cards, for the parsing cost bound."""
    document = complete_document()
    program, card = document["loyaltyProgramDetails"][0], document["cardDetails"][0]
    document["loyaltyProgramDetails"] = [
        {**program, "programId": 1000 + number} for number in range(programs)
    ]
    document["cardDetails"] = [
        {**card, "cardId": 5000 + number, "cardNumber": f"CARD{number:07d}"}
        for number in range(cards)
    ]
    return document


# Documents in the shapes of Capillary's published samples (its 2022 API documentation site and
# the current reference pages): the same nesting, spelling, number and date formats, with values
# invented for these tests.


def lookup_sample_shape() -> dict[str, Any]:
    """A lookup that asked for WECHAT (with an accountId) and was answered, as in Capillary's
    published lookup sample, with one INSTORE profile: empty names, externalId, line, card and
    mobile identifiers, fraudDetails NOT_FRAUD with an empty markedBy, several programs (one
    with a next tier named "Tier 2"), a group program and no cards."""
    return {
        "id": 612300417,
        "profiles": [
            {
                "firstName": "",
                "lastName": "",
                "attribution": {
                    "createDate": "2022-03-14T10:05:41+05:30",
                    "createdBy": {
                        "id": 40001,
                        "code": "hq.admin",
                        "name": "hq.admin",
                        "type": "TILL",
                    },
                    "modifiedBy": {
                        "id": 40001,
                        "code": "hq.admin",
                        "name": "hq.admin",
                        "type": "TILL",
                    },
                    "modifiedDate": "2022-03-20T09:12:00+05:30",
                },
                "fields": {"club_active": "true", "tierup_partner": "1"},
                "identifiers": [
                    {"type": "externalId", "value": "771100220033"},
                    {"type": "line", "value": "lineQX9"},
                    {
                        "type": "cardNumber",
                        "value": "QXC0040000000017",
                        "seriesId": 12,
                        "statusLabel": "ACTIVE",
                    },
                    {"type": "mobile", "value": "919800000077"},
                ],
                "commChannels": [
                    {
                        "type": "mobile",
                        "value": "919800000077",
                        "primary": True,
                        "verified": False,
                        "meta": {"residence": False, "office": False},
                        "attributes": {},
                    }
                ],
                "source": "INSTORE",
                "userId": 612300417,
                "accountId": "",
                "conflictingProfileList": [],
                "autoUpdateTime": "2022-09-01T17:00:00+05:30",
                "identifiersAll": [{"type": "externalId", "value": "771100220033"}],
            }
        ],
        "loyaltyInfo": {
            "loyaltyType": "loyalty",
            "attributionV2": {
                "createDate": "2022-03-14T10:05:41+05:30",
                "createdBy": {"id": 40001, "code": "hq.admin", "name": "hq.admin", "type": "TILL"},
                "modifiedBy": {
                    "id": 40001,
                    "code": "hq.admin",
                    "name": "hq.admin",
                    "type": "TILL",
                },
                "modifiedDate": "2022-03-20T09:12:00+05:30",
                "createdFromSource": "instore",
            },
            "lifetimePurchases": 18500.0,
        },
        "fraudDetails": {
            "markedBy": {},
            "modifiedOn": "2020-01-10T11:00:00+05:30",
            "status": "NOT_FRAUD",
        },
        "segments": {},
        "associatedWith": "hq.admin",
        "extendedFields": {"city": "Chennai", "gender": "Female"},
        "loyaltyProgramDetails": [
            {
                "redeemed": 0.0,
                "expired": 0.0,
                "returned": 0.0,
                "adjusted": 0.0,
                "lifetimePoints": 310.0,
                "loyaltyPoints": 310.0,
                "cumulativePurchases": 18500.0,
                "loyaltyId": 77000001,
                "currentSlab": "Privilege",
                "nextSlab": "Tier 2",
                "nextSlabSerialNumber": 2,
                "nextSlabDescription": "Tier 2",
                "slabSNo": 1,
                "slabExpiryDate": "2122-03-14T23:59:59+05:30",
                "programId": 2301,
                "delayedPoints": 40.0,
                "delayedReturnedPoints": 0.0,
                "totalAvailablePoints": 350.0,
                "totalReturnedPoints": 0.0,
                "linkedPartnerPrograms": [],
                "programTitle": "Harbour Rewards",
                "programDescription": "Harbour Rewards",
                "programPointsToCurrencyRatio": 1.0,
            },
            {
                "redeemed": 0.0,
                "expired": 0.0,
                "returned": 0.0,
                "adjusted": 0.0,
                "lifetimePoints": 0.0,
                "loyaltyPoints": 0.0,
                "cumulativePurchases": 0.0,
                "loyaltyId": 77000001,
                "currentSlab": "Default",
                "nextSlab": "",
                "nextSlabSerialNumber": -1,
                "nextSlabDescription": "",
                "slabSNo": 1,
                "slabExpiryDate": "2122-03-14T23:59:59+05:30",
                "programId": 2300,
                "delayedPoints": 0.0,
                "delayedReturnedPoints": 0.0,
                "totalAvailablePoints": 0.0,
                "totalReturnedPoints": 0.0,
                "linkedPartnerPrograms": [],
                "programTitle": "Harbour Default Program",
                "programDescription": "Default program for Harbour",
                "programPointsToCurrencyRatio": 1.0,
            },
        ],
        "groupLoyaltyProgramDetails": [
            {
                "groupProgramId": 2300,
                "title": "Harbour Default Program",
                "description": "Default program for Harbour",
                "programsList": [
                    {"id": 2300, "name": "Harbour Default Program", "description": ""},
                    {"id": 2301, "name": "Harbour Rewards", "description": "Harbour Rewards"},
                ],
                "lifetimePoints": 310.0,
                "loyaltyPoints": 310.0,
                "promisedPoints": 40.0,
                "pointsToCurrencyRatio": 1.0,
            }
        ],
        "cardDetails": [],
        "warnings": [],
    }


def mlp_fragment_shape() -> list[dict[str, Any]]:
    """loyaltyProgramDetails as Capillary's published by-id mlp fragment has them: Silver with
    Gold next, and a Tier1 program whose next tier "Tier2" comes with nextSlabSerialNumber -1."""
    return [
        {
            "redeemed": 4300,
            "expired": 50,
            "returned": 250,
            "adjusted": 0,
            "lifetimePoints": 5200,
            "loyaltyPoints": 600,
            "cumulativePurchases": 51000,
            "loyaltyId": 88000002,
            "currentSlab": "Silver",
            "nextSlab": "Gold",
            "nextSlabSerialNumber": 3,
            "nextSlabDescription": "Gold tier",
            "slabSNo": 2,
            "slabExpiryDate": "2119-06-30T23:59:59+05:30",
            "programId": 3101,
        },
        {
            "redeemed": 40,
            "expired": 0,
            "returned": 5,
            "adjusted": 0,
            "lifetimePoints": 200,
            "loyaltyPoints": 155,
            "cumulativePurchases": 4200,
            "loyaltyId": 88000002,
            "currentSlab": "Tier1",
            "nextSlab": "Tier2",
            "nextSlabSerialNumber": -1,
            "nextSlabDescription": "",
            "slabSNo": 1,
            "slabExpiryDate": "2119-06-30T23:59:59+05:30",
            "programId": 3102,
        },
    ]


def by_id_card_shape() -> dict[str, Any]:
    """A cardDetails item as in Capillary's published by-id sample: custom and extended fields
    (a card balance among them), a cardExternalId and transactionNotAllowed true."""
    return {
        "cardId": 517,
        "issuedDate": "2022-05-02T08:30:00Z",
        "createdDate": "2022-05-02",
        "expiryDays": 0,
        "seriesName": "harbourcard",
        "customerId": 612300417,
        "maxActiveCards": 20,
        "cardExternalId": "hx-517",
        "extendedFields": {
            "advance_card_personalisation": "no",
            "card_balance": 450.0,
            "year_of_registration": 22,
        },
        "customFields": {"cardname": "harbour", "cardscope": "local", "cardtype": "gift card"},
        "type": "DIGITAL",
        "cardNumber": "harbour0517",
        "seriesId": 31,
        "seriesCode": "731",
        "orgId": 60300,
        "entityId": 60300517,
        "statusInfo": {
            "reason": "",
            "createdBy": 60300517,
            "actions": [],
            "autoUpdateTime": "2022-05-02",
            "createdOn": "2022-05-02T08:30:00Z",
            "entityId": 517,
            "id": 640,
            "isActive": True,
            "labelId": 31,
            "label": "ACTIVE",
            "status": "ACTIVE",
        },
        "id": 517,
        "transactionNotAllowed": True,
    }


def promotional_points_shape() -> dict[str, Any]:
    """promotionalPoints as in Capillary's published fragment: goodwill points issued at a store,
    with their promotionSource (id -1, type GOODWILL)."""
    return {
        "customerPromotionType": [
            {
                "points": 120.0,
                "issuedAt": {"code": "store", "name": "store 4"},
                "issuedOn": "2022-08-10T12:00:00+05:30",
                "expiryDate": "2023-08-31T23:59:59+05:30",
                "promotionSource": {"promotionSourceId": -1, "promotionSourceType": "GOODWILL"},
                "programId": 2301,
                "promotionName": "Goodwill Promotion",
            }
        ],
        "transactionPromotionType": [],
        "lineitemPromotionType": [],
    }


def alternate_currencies_shape() -> list[dict[str, Any]]:
    """alternateCurrencyDetails with every field the reference lists: 120 Stars available to
    redeem (earned), 30 pending (delayedEarned), 150 the two together (totalAvailable)."""
    return [
        {
            "programId": 2301,
            "programName": "Harbour Rewards",
            "alternateCurrencyData": {
                "name": "Stars",
                "earned": 120.0,
                "lifetimeEarned": 175.0,
                "redeemed": 40.0,
                "expired": 10.0,
                "returned": 5.0,
                "delayedEarned": 30.0,
                "delayedLifetimeEarned": 34.0,
                "delayedReturned": 3.0,
                "delayedExpired": 1.0,
                "totalAvailable": 150.0,
                "totalRedeemed": 40.0,
                "totalReturned": 8.0,
                "totalExpired": 11.0,
            },
        }
    ]


def user_group_shape() -> dict[str, Any]:
    """A userGroup2 block nested as Capillary's published user-group sample: the group's own
    gapToUpgrade and gapToRenew, and pointsSummaries with per-program strategies."""
    return {
        "id": 4100220,
        "externalId": "harbour_family_7",
        "groupStatus": "ACTIVE",
        "createdOn": "2024-02-01T05:00:00Z",
        "groupName": "Harbour Family 7",
        "maxGroupSize": 6,
        "lifeTimePurchases": 42000,
        "gapToUpgrade": [
            {
                "upgradeBasedOn": "CURRENT_POINTS",
                "upgradeThreshold": 3000.0,
                "customerUpgradeEntityValues": {
                    "currentValue": 1200.0,
                    "gapToUpgrade": 1800.0,
                    "valueValidUpto": "2124-02-01",
                },
            }
        ],
        "gapToRenew": {
            "tierExpiryDate": "2124-02-20",
            "renewConfirmed": False,
            "renewStrategies": [],
        },
        "totalActiveMembers": 3,
        "totalExitedMembers": 1,
        "pointsSummaries": [
            {
                "loyaltyPoints": 1200.0,
                "lifetimePoints": 1200.0,
                "userGroup2Id": 4100220,
                "currentSlab": "Coral",
                "currentSlabDescription": "Slab 1",
                "nextSlab": "Pearl",
                "nextSlabSerialNumber": 2,
                "nextSlabDescription": "Tier 2",
                "slabSNo": 1,
                "slabExpiryDate": "2124-02-20T23:59:59Z",
                "programId": 2310,
                "programTitle": "Harbour Group Program",
                "upgradeStrategies": [
                    {
                        "upgradeBasedOn": "CURRENT_POINTS",
                        "upgradeThreshold": 3000.0,
                        "customerUpgradeEntityValues": {
                            "currentValue": 1200.0,
                            "gapToUpgrade": 1800.0,
                            "valueValidUpto": "2124-02-01",
                        },
                    }
                ],
                "pointsContributionToGroup": 0.0,
            }
        ],
        "extendedFields": {"ug_status": "Active"},
        "warnings": [
            {
                "status": False,
                "code": 1656,
                "message": "Fleet group do not have a mapped hierarchy",
            }
        ],
    }


def by_id_sample_shape() -> dict[str, Any]:
    """A by-id answer shaped like Capillary's published one: a WECHAT profile whose mobile and
    second email exist only in identifiersAll, registration at half past midnight +08:00, a
    loyalty type of non_loyalty and one ACTIVE digital card with expiryDays 0, no expiry date
    and transactions not allowed."""
    return {
        "id": 71834,
        "profiles": [
            {
                "firstName": "Mei",
                "lastName": "Tan",
                "attribution": {
                    "createDate": "2024-01-01T00:30:00+08:00",
                    "createdBy": {"code": "sg.till", "description": "", "name": "sg.till"},
                    "modifiedBy": {"code": "sg.till", "description": "", "name": "sg.till"},
                    "modifiedDate": "2024-03-05T18:50:23+08:00",
                },
                "fields": {"Favorite Color": "Blue"},
                "identifiers": [
                    {"type": "line", "value": "lineMT9"},
                    {
                        "type": "cardNumber",
                        "value": "SGC0099000002",
                        "seriesId": 19,
                        "statusLabel": "ACTIVE",
                    },
                    {"type": "email", "value": "mei.tan@example.com"},
                ],
                "commChannels": [
                    {
                        "type": "email",
                        "value": "mei@mail.example.com",
                        "primary": True,
                        "verified": False,
                        "meta": {"residence": False, "office": False},
                        "attributes": {},
                    }
                ],
                "source": "WECHAT",
                "userId": 71834,
                "accountId": "wechat-sg-1",
                "conflictingProfileList": [],
                "autoUpdateTime": "2024-03-09T10:00:00+08:00",
                "identifiersAll": [
                    {"type": "mobile", "value": "6591234567"},
                    {"type": "email", "value": "91234567@mail.example.com"},
                ],
            }
        ],
        "loyaltyInfo": {"loyaltyType": "non_loyalty", "lifetimePurchases": 230},
        "segments": {},
        "extendedFields": {"city": "Singapore"},
        "cardDetails": [by_id_card_shape()],
        "warnings": [],
    }


def root_gaps_shape() -> dict[str, Any]:
    """A lookup answer whose gaps sit at the document's root, as the reference's response table
    lists them: upgradeStrategies (with the table's `upgrade_based_on` spelling) and
    gapToRenewSummary as an array, beside one program in loyaltyProgramDetails."""
    return {
        "id": 90017,
        "profiles": [
            {
                "firstName": "Omar",
                "lastName": "Haddad",
                "source": "INSTORE",
                "accountId": "",
                "identifiers": [{"type": "mobile", "value": "971500000017"}],
            }
        ],
        "loyaltyProgramDetails": [
            {
                "programId": 2401,
                "programTitle": "Oasis Rewards",
                "currentSlab": "Silver",
                "slabSNo": 2,
                "nextSlab": "Gold",
                "nextSlabSerialNumber": 3,
                "slabExpiryDate": "2027-04-01T00:00:00+05:30",
                "loyaltyPoints": 5400.0,
                "lifetimePoints": 8000.0,
                "programPointsToCurrencyRatio": 0.0025,
            }
        ],
        "upgradeStrategies": [
            {
                "upgrade_based_on": "CUMULATIVE_PURCHASES",
                "upgradeThreshold": 50000.0,
                "customerUpgradeEntityValues": {
                    "currentValue": 3000.0,
                    "gapToUpgrade": 47000.0,
                    "valueValidUpto": "2125-01-01",
                },
            }
        ],
        "gapToRenewSummary": [
            {
                "tierExpiryDate": "2027-03-31",
                "renewConfirmed": False,
                "renewStrategies": [
                    {
                        "renewBasedOn": "PURCHASE",
                        "renewThreshold": 40000.0,
                        "customerRenewEntityValue": 12000.0,
                        "customerGapToRenewValue": 28000.0,
                        "trackerEntityIdentifiers": [],
                    }
                ],
            }
        ],
        "warnings": [],
    }


CARD_STATES = ("ACTIVE", "SUSPENDED", "EXPIRED", "DELETED", "NOT_ISSUED")


def card_states_shape() -> list[dict[str, Any]]:
    """Eight cards of the by-id sample's shape in every state; as in Capillary's status log,
    statusInfo.isActive is true on each (it marks the current status record, not an active
    card). Two are ACTIVE yet unusable: one past its expiry date, one with transactions not
    allowed; one has 15 days left (expiryDays) and no expiry date."""
    cards = []
    plan = [
        ("ACTIVE", "2030-01-31", 0, False),
        ("ACTIVE", None, 15, False),
        ("ACTIVE", "2020-06-30", 0, False),
        ("ACTIVE", "2030-01-31", 0, True),
        ("SUSPENDED", "2030-01-31", 0, True),
        ("EXPIRED", "2021-01-31", 0, True),
        ("DELETED", "2030-01-31", 0, True),
        ("NOT_ISSUED", None, 0, True),
    ]
    for number, (state, expiry, days, blocked) in enumerate(plan, start=1):
        card = by_id_card_shape()
        card["cardId"] = card["id"] = 600 + number
        card["cardNumber"] = f"harbour06{number:02d}"
        card["expiryDays"] = days
        if expiry:
            card["expiryDate"] = expiry
        card["transactionNotAllowed"] = blocked
        card["statusInfo"] = dict(card["statusInfo"], status=state, label=state.title())
        cards.append(card)
    return cards
