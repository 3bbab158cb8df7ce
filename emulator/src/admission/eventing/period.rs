//! ISO-8601 periods as `github.com/rickb777/date/period` accepts them (delivery `timeout`,
//! `backoffDelay`, `retryAfterMax`): `[-]PnYnMnWnDTnHnMnS`, fractions allowed.

/// A parsed period: whether it is negative and whether every component is zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub negative: bool,
    pub zero: bool,
}

/// Parses a period; `None` when the text is not one.
pub fn parse(text: &str) -> Option<Period> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let rest = rest.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => {
            if t.is_empty() {
                return None;
            }
            (d, Some(t))
        }
        None => (rest, None),
    };
    let mut zero = true;
    let mut components = 0;
    for (part, designators) in [(date, "YMWD"), (time.unwrap_or(""), "HMS")] {
        let mut number = String::new();
        let mut last = None;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' || c == ',' {
                number.push(c);
                continue;
            }
            let pos = designators.find(c)?;
            if last.is_some_and(|l| pos <= l) || number.is_empty() {
                return None;
            }
            let value: f64 = number.replace(',', ".").parse().ok()?;
            if value != 0.0 {
                zero = false;
            }
            components += 1;
            number.clear();
            last = Some(pos);
        }
        if !number.is_empty() {
            return None;
        }
    }
    if components == 0 {
        return None;
    }
    Some(Period { negative, zero })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_knative_durations() {
        for ok in [
            "PT0.2S",
            "PT1S",
            "P1D",
            "PT1H30M",
            "P1Y2M3W4DT5H6M7S",
            "-PT1S",
        ] {
            assert!(parse(ok).is_some(), "{ok}");
        }
        assert!(parse("PT0S").unwrap().zero);
        assert!(parse("-PT1S").unwrap().negative);
    }

    #[test]
    fn rejects_other_text() {
        for bad in ["", "P", "PT", "1s", "PT1", "PTS", "P1H", "PT1S1M", "10"] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }
}
