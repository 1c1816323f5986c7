"""Reading numbers from Chinese quotes, the basis of the numbers-in-quotes check."""

import pytest

from generator.core.numbers import chinese_to_int, numbers_in, states


@pytest.mark.parametrize(
    "text,value",
    [
        ("分别一次性给予10万元、8万元、6万元奖励", 100000),
        ("分别一次性给予10万元、8万元、6万元奖励", 60000),
        ("新增技能人才280万人以上", 2_800_000),
        ("高技能人才占技能人才比例达到35%左右", 35),
        ("在国家奖励基础上增加五万元", 50000),
        ("年培训2.5万人次", 25000),
        ("补贴1,500元", 1500),
        ("一万二千人", 12000),
    ],
)
def test_states(text, value):
    assert states(text, value)


@pytest.mark.parametrize(
    "text,value",
    [
        ("年培训12万人次", 12),  # the unscaled figure is a unit mistake, not a match
        ("新增技能人才280万人以上", 280),
        ("分别一次性给予10万元", 10000),
        ("达到35%左右", 3.5),
    ],
)
def test_does_not_state(text, value):
    assert not states(text, value)


def test_chinese_numerals():
    assert chinese_to_int("三十五") == 35
    assert chinese_to_int("十") == 10
    assert chinese_to_int("十万") == 100000
    assert chinese_to_int("万") is None
    assert numbers_in("第十八次") == {18.0}
