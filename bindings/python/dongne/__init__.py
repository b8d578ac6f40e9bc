"""libdongne: an embeddable engine for location-based question-and-answer communities.

    import dongne
    with dongne.Engine("data") as eng:
        me = eng.create_user("귤러버")
        q = eng.ask(me.id, title="애월 흑돼지 맛집?", body="추천해주세요",
                    lat=33.4628, lon=126.3310, category="food", hashtags=["맛집"])

See docs/python.md.
"""
from ._dongne import *  # noqa: F401,F403
from ._dongne import __doc__ as _native_doc  # noqa: F401

__all__ = [
    "Engine", "User", "Question", "Answer", "QuestionPage", "LedgerEntry", "Statement",
    "VerifyReport", "NearbyHit", "FeedHit", "Home", "Answerer", "SearchHit",
    "ScoreExplanation", "TagCount", "CATEGORIES",
    "Error", "InvalidArgument", "NotFound", "Refused", "InsufficientPoints", "Conflict",
    "Corruption", "IOError",
]
