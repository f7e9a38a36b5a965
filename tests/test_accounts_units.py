"""Loads in kg or lb (pure) and reading the dumbbell list (a form field, no database)."""

import pytest
from django import forms

from accounts.forms import WeightListField
from accounts.units import format_load, from_kg, to_kg


def test_it_converts_pounds_to_kilograms_to_ten_grams():
    assert to_kg(10, "lb") == 4.54
    assert to_kg(25, "lb") == 11.34
    assert to_kg(8.5, "kg") == 8.5


def test_it_shows_stored_kilograms_in_pounds_to_a_tenth():
    assert from_kg(4.54, "lb") == 10
    assert from_kg(20, "lb") == 44.1
    assert from_kg(1.25, "kg") == 1.25


@pytest.mark.parametrize("pounds", [5, 8.5, 10, 12.5, 15, 20, 25, 35, 50, 100, 220])
def test_it_gives_back_the_pounds_that_were_typed(pounds):
    assert from_kg(to_kg(pounds, "lb"), "lb") == pounds


def test_it_keeps_whole_numbers_whole():
    assert isinstance(to_kg(8, "kg"), int)
    assert format_load(8.0, "kg") == "8 kg"
    assert format_load(20, "lb") == "44.1 lb"
    assert format_load(None, "kg") == ""


def test_it_reads_a_list_of_weights_sorted_and_without_repeats():
    field = WeightListField(units="kg", required=False)
    assert field.clean("8, 4 6;4,  2.5") == [2.5, 4, 6, 8]
    assert field.clean("") == []
    assert field.clean("   ") == []


def test_it_reads_weights_typed_in_pounds_as_kilograms():
    field = WeightListField(units="lb", required=False)
    assert field.clean("10, 20") == [4.54, 9.07]
    assert field.prepare_value([4.54, 9.07]) == "10, 20"


@pytest.mark.parametrize("typed", ["four", "-4", "0", "100.01", "1e2", "inf", "4.125", "4..5"])
def test_it_refuses_what_is_not_a_sensible_weight(typed):
    with pytest.raises(forms.ValidationError):
        WeightListField(units="kg", required=False).clean(typed)


def test_it_refuses_an_endless_list():
    with pytest.raises(forms.ValidationError):
        WeightListField(units="kg", required=False).clean(", ".join(str(n) for n in range(1, 32)))
    with pytest.raises(forms.ValidationError):
        WeightListField(units="kg", required=False).clean("1, " * 100)
