"""Form fields shared by the blueprints: selects and checkbox lists with plain messages, drawn fast.

WTForms' own widgets build each option through several layers of formatting; the directory, map and
partner filters carry a few hundred options, where that cost ~20 ms a page. These render in one pass.
"""
from __future__ import annotations

import math
from datetime import date

from markupsafe import Markup, escape
from wtforms import BooleanField, Field, SelectField, SelectMultipleField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, TextInput, html_params

from .pagination import MAX_PAGE, PAGE_MESSAGE
from .templating import format_date
from .validation import InvalidValue


class PlainSelectWidget:
    """A <select> rendered in one pass."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        chosen = "" if field.data is None else str(field.data)
        options = "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>{escape(label)}</option>'
            for value, label in field.choices
        )
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


class PlainCheckboxesWidget:
    """A list of checkboxes (ul > li > input + label) rendered in one pass."""

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        chosen = {str(v) for v in (field.data or ())}
        items = []
        for i, (value, label) in enumerate(field.choices):
            box_id = f"{field.id}-{i}"
            checked = " checked" if str(value) in chosen else ""
            items.append(
                f'<li><input id="{box_id}" name="{escape(field.name)}" type="checkbox" value="{escape(value)}"'
                f'{checked}> <label for="{box_id}">{escape(label)}</label></li>'
            )
        return Markup(f"<ul {html_params(**kwargs)}>{''.join(items)}</ul>")


class FilterSelect(SelectField):
    """A select whose empty default is allowed and whose error names the field."""

    widget = PlainSelectWidget()

    def __init__(self, label, choices=(), **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(label, choices=choices, **kwargs)

    def pre_validate(self, form) -> None:
        """Refuse values that are not among the choices, with a message people understand."""
        if self.data not in (None, "") and str(self.data) not in {str(c[0]) for c in self.choices}:
            raise ValidationError(f"Choose {_article(self.label.text)} from the list")


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes; unknown values get a message people understand.

    A value sent twice counts once (stored twice, it would break a unique key). Give it no Optional()
    validator: Optional() clears the errors of pre_validate, so a blank value would pass as a choice.
    """

    widget = PlainCheckboxesWidget()
    option_widget = CheckboxInput()  # for templates that loop over the options themselves

    def process_formdata(self, valuelist) -> None:
        """The chosen values, each once, in the order sent."""
        super().process_formdata(list(dict.fromkeys(valuelist)))

    def pre_validate(self, form) -> None:
        """Refuse values that are not among the choices."""
        known = {str(c[0]) for c in self.choices}
        if any(str(v) not in known for v in (self.data or [])):
            raise ValidationError(f"Choose {self.label.text.lower()} from the list")


class NumberInRange(Field):
    """An optional number typed by a person: one plain message when it is not a number in the range.

    WTForms' IntegerField and FloatField add their own "Not a valid ..." message before any range
    check; this field gives exactly one message for every bad input (letters, 1e999, nan, out of range).
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, minimum: float, maximum: float, message: str,
                 whole: bool = False, **kwargs):
        super().__init__(label, validators if validators is not None else [Optional()], **kwargs)
        self.minimum, self.maximum, self.message, self.whole = minimum, maximum, message, whole

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return str(self.data) if self.whole else f"{self.data:g}"

    def process_formdata(self, valuelist) -> None:
        """Read the typed value; a bad one leaves no data and the one message."""
        text = valuelist[0].strip() if valuelist and valuelist[0] else ""
        self.data = None
        if not text:
            return
        try:
            value = int(text) if self.whole else float(text)
        except ValueError:
            raise ValueError(self.message) from None
        if not (math.isfinite(value) and self.minimum <= value <= self.maximum):
            raise ValueError(self.message)
        self.data = value


def page_field(label: str = "Page") -> NumberInRange:
    """The ?page= field of a GET search: a whole number from 1 to pagination.MAX_PAGE."""
    return NumberInRange(label, default=1, minimum=1, maximum=MAX_PAGE, message=PAGE_MESSAGE, whole=True)


def convert(field, check) -> None:
    """Run a validation.py checker on a field's answer, keeping the value it returns (tidied); the message of
    the InvalidValue it raises is shown beside the field."""
    try:
        field.data = check(field.data)
    except InvalidValue as exc:
        raise ValidationError(str(exc)) from exc


def converted_by(check):
    """A WTForms validator that runs convert(field, check)."""
    return lambda _form, field: convert(field, check)


def in_words(f) -> str:
    """A field's answer as a person reads it: choices by their labels, yes or no, "Not given"."""
    if isinstance(f, BooleanField):
        return "Yes" if f.data else "No"
    if isinstance(f, SelectMultipleField):
        labels = dict(f.choices or [])
        chosen = [labels.get(v, v) for v in (f.data or [])]
        return "; ".join(chosen) if chosen else "None chosen"
    if isinstance(f, SelectField):
        labels = dict(f.choices or [])
        return labels.get(f.data, "") if f.data else "Not given"
    if f.data is None or f.data == "":
        return "Not given"
    if isinstance(f.data, date):
        return format_date(f.data)
    return str(f.data)


def _article(label: str) -> str:
    label = label.lower()
    return f"{'an' if label[:1] in 'aeiou' else 'a'} {label}"
