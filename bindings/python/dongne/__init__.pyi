"""Type stubs for the dongne module (libdongne's Python bindings)."""
import os
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Sequence, Union

Time = Union[datetime, int, float]

CATEGORIES: List[str]

class Error(Exception): ...
class InvalidArgument(Error, ValueError): ...
class NotFound(Error, LookupError): ...
class Refused(Error, PermissionError): ...
class InsufficientPoints(Refused): ...
class Conflict(Refused): ...
class Corruption(Error): ...
class IOError(Error, OSError): ...

class User:
    id: int
    nickname: str
    nick: str
    balance: int
    created_at: datetime
    def to_dict(self) -> Dict[str, Any]: ...

class Question:
    id: int
    ext_id: Optional[str]
    region: str
    neighborhood: Optional[str]
    title: str
    body: str
    author_id: int
    author: str
    lat: float
    lon: float
    category: str
    hashtags: List[str]
    urgent: bool
    bounty: int
    status: str
    answer_count: int
    accepted_answer: Optional[int]
    likes: int
    created_at: datetime
    def to_dict(self) -> Dict[str, Any]: ...

class Answer:
    id: int
    question_id: int
    ext_id: Optional[str]
    author_id: int
    author: str
    body: str
    accepted: bool
    likes: int
    created_at: datetime
    def to_dict(self) -> Dict[str, Any]: ...

class QuestionPage:
    questions: List[Question]
    next_cursor: Optional[str]
    def to_dict(self) -> Dict[str, Any]: ...

class LedgerEntry:
    amount: int
    kind: str
    ref: Optional[int]
    at: datetime
    def to_dict(self) -> Dict[str, Any]: ...

class Statement:
    balance: int
    entries: List[LedgerEntry]
    next_cursor: Optional[str]
    def to_dict(self) -> Dict[str, Any]: ...

class VerifyReport:
    sound: bool
    problems: List[str]
    transactions: int
    escrows_held: int
    events_applied: int
    questions: int
    def __bool__(self) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...

class NearbyHit:
    question: Question
    distance_m: float
    id: int
    title: str
    def to_dict(self) -> Dict[str, Any]: ...

class FeedHit:
    question: Question
    distance_m: float
    waiting_s: int
    id: int
    title: str
    def to_dict(self) -> Dict[str, Any]: ...

class Home:
    user: int
    neighborhood: str
    lat: float
    lon: float
    verified_at: datetime
    def to_dict(self) -> Dict[str, Any]: ...

class Answerer:
    user: User
    home: Home
    distance_m: float
    recent_answers: int
    accepted_answers: int
    score: float
    def to_dict(self) -> Dict[str, Any]: ...

class ScoreExplanation:
    text: float
    proximity: float
    distance: float
    freshness: float
    quality: float
    matched_terms: List[str]
    def to_dict(self) -> Dict[str, Any]: ...

class SearchHit:
    question: Question
    score: float
    distance_m: Optional[float]
    snippet: str
    explain: Optional[ScoreExplanation]
    id: int
    title: str
    def to_dict(self) -> Dict[str, Any]: ...

class TagCount:
    tag: str
    count: int
    def to_dict(self) -> Dict[str, Any]: ...

class Engine:
    def __init__(self, path: Union[str, "os.PathLike[str]"],
                 regions: Optional[Union[str, "os.PathLike[str]"]] = None,
                 neighborhoods: Optional[Union[str, "os.PathLike[str]"]] = None,
                 **options: Any) -> None: ...
    def __enter__(self) -> "Engine": ...
    def __exit__(self, *exc: Any) -> bool: ...
    def close(self) -> None: ...
    def create_user(self, nickname: str) -> User: ...
    def get_user(self, id: int) -> User: ...
    def find_user(self, nickname: str) -> User: ...
    def ask(self, author: int, *, title: str, body: str, lat: float, lon: float,
            category: str = "other", hashtags: Sequence[str] = (), urgent: bool = False,
            bounty: int = 0, created_at: Optional[Time] = None, ext_id: Optional[str] = None) -> Question: ...
    def answer(self, question: int, *, author: int, body: str,
               created_at: Optional[Time] = None, ext_id: Optional[str] = None) -> Answer: ...
    def accept(self, answer: int, *, by: int) -> Answer: ...
    def like(self, user: int, target: int) -> int: ...
    def unlike(self, user: int, target: int) -> int: ...
    def close_question(self, question: int, *, by: int) -> Question: ...
    def get_question(self, id: int) -> Question: ...
    def get_answer(self, id: int) -> Answer: ...
    def answers(self, question: int) -> List[Answer]: ...
    def list(self, *, region: str = "", category: str = "", tag: str = "",
             sort: str = "recent", limit: int = 20, cursor: str = "") -> QuestionPage: ...
    def regions(self) -> List[str]: ...
    def search(self, text: str, *, lat: Optional[float] = None, lon: Optional[float] = None,
               radius_m: float = 0, limit: int = 10, region: str = "", category: str = "",
               tag: str = "", status: Optional[str] = None, urgent: Optional[bool] = None,
               as_you_type: bool = False, explain: bool = False,
               with_suggestion: bool = False, **ranking: float) -> Any: ...
    def suggestion(self, text: str) -> str: ...
    def similar(self, title: str, body: str = "", *, lat: Optional[float] = None,
                lon: Optional[float] = None, limit: int = 5) -> List[SearchHit]: ...
    def trending(self, *, region: str = "", hours: int = 24, limit: int = 20) -> List[TagCount]: ...
    def rebuild_index(self,
                      progress: Optional[Callable[[int, int], None]] = None) -> None: ...
    def nearby(self, *, lat: float, lon: float, radius_m: Optional[float] = None,
               limit: Optional[int] = None, unanswered: bool = False, urgent: bool = False,
               category: str = "", tag: str = "", status: Optional[str] = None,
               newer_than: Optional[Time] = None, cursor: str = "",
               page: bool = False) -> Any: ...
    def nearby_geojson(self, *, lat: float, lon: float, radius_m: Optional[float] = None,
                       limit: Optional[int] = None, unanswered: bool = False,
                       urgent: bool = False, category: str = "", tag: str = "",
                       status: Optional[str] = None, newer_than: Optional[Time] = None,
                       cursor: str = "") -> str: ...
    def needs_answer(self, *, lat: float, lon: float, radius_m: float = 5000, limit: int = 20,
                     category: str = "", cursor: str = "", page: bool = False) -> Any: ...
    def verify_location(self, user: int, *, lat: float, lon: float) -> Home: ...
    def home(self, user: int) -> Optional[Home]: ...
    def who_can_answer(self, question: int, *, radius_m: float = 5000,
                       limit: int = 20) -> List[Answerer]: ...
    def balance(self, user: int) -> int: ...
    def statement(self, user: int, limit: int = 50, cursor: str = "") -> Statement: ...
    def purchase(self, user: int, *, points: int, payment_id: str) -> int: ...
    def adjust(self, user: int, *, amount: int, reason: str, key: str) -> int: ...
    def expire(self, now: Optional[Time] = None) -> int: ...
    def verify(self,
               progress: Optional[Callable[[int, int], None]] = None) -> VerifyReport: ...
    def import_jsonl(self, path: Union[str, "os.PathLike[str]"],
                     progress: Optional[Callable[[int, int, int], None]] = None) -> Dict[str, Any]: ...
