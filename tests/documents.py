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
        "customerImage": "https://images.example.com/customers/4242.png",
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
