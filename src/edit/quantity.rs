//! Syntax checks for Kubernetes quantities (`100m`, `256Mi`, `1e3`): the API types are plain
//! strings, so knit validates them before sending anything (Go durations: `kubetext::duration`).
//! `canonical` writes a quantity as apimachinery's `Quantity.String()` does, as kn sends it.

/// The suffixes apimachinery's `ParseQuantity` accepts besides a decimal exponent.
const SUFFIXES: [&str; 16] = [
    "", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei",
];

/// True when `s` is a valid Kubernetes resource quantity.
pub fn is_quantity(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let int_len = body.bytes().take_while(u8::is_ascii_digit).count();
    let mut rest = &body[int_len..];
    let mut digits = int_len;
    if let Some(after_dot) = rest.strip_prefix('.') {
        let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        digits += frac_len;
        rest = &after_dot[frac_len..];
    }
    if digits == 0 {
        return false;
    }
    if SUFFIXES.contains(&rest) {
        return true;
    }
    // A decimal exponent: e or E, an optional sign, then digits.
    match rest.strip_prefix(['e', 'E']) {
        Some(exp) => {
            let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            !exp.is_empty() && exp.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// `s` (a valid quantity) in apimachinery's canonical form, which kn sends because it parses
/// every `--limit`/`--request`/emptyDir size into a `resource.Quantity`: `1000m` is `1`, `0.5`
/// is `500m`, `1.5Gi` is `1536Mi`, `1e3` stays `1e3`. A value beyond what fits knit's
/// arithmetic is returned unchanged.
pub fn canonical(s: &str) -> String {
    canonical_of(s).unwrap_or_else(|| s.to_string())
}

#[derive(PartialEq)]
enum Format {
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

fn canonical_of(s: &str) -> Option<String> {
    if !is_quantity(s) {
        return None;
    }
    let negative = s.starts_with('-');
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let int_len = body.bytes().take_while(u8::is_ascii_digit).count();
    let (int_part, mut rest) = body.split_at(int_len);
    let mut frac_part = "";
    if let Some(after_dot) = rest.strip_prefix('.') {
        let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        frac_part = &after_dot[..frac_len];
        rest = &after_dot[frac_len..];
    }
    // value = mantissa * 10^exp10 * 2^exp2
    let digits = format!("{int_part}{frac_part}");
    let digits = digits.trim_start_matches('0');
    if digits.len() > 30 {
        return None;
    }
    let mut mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().ok()?
    };
    let mut exp10: i32 = -(frac_part.len() as i32);
    let (format, exp2) = match rest {
        "" => (Format::DecimalSI, 0),
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let power = ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
                .iter()
                .position(|b| *b == rest)? as i32
                + 1;
            (Format::BinarySI, power * 10)
        }
        r if r.starts_with(['e', 'E']) => {
            exp10 += r[1..].parse::<i32>().ok()?;
            (Format::DecimalExponent, 0)
        }
        r => {
            let power = match r {
                "n" => -9,
                "u" => -6,
                "m" => -3,
                "k" => 3,
                "M" => 6,
                "G" => 9,
                "T" => 12,
                "P" => 15,
                "E" => 18,
                _ => return None,
            };
            exp10 += power;
            (Format::DecimalSI, 0)
        }
    };
    if mantissa == 0 {
        return Some("0".to_string());
    }
    // Apply the binary factor, then bring the scale to at least nano (rounding up, away from
    // zero, as ParseQuantity does).
    mantissa = mantissa.checked_mul(1i128.checked_shl(exp2 as u32)?)?;
    while exp10 < -9 {
        let rounded_up = mantissa % 10 != 0;
        mantissa = mantissa / 10 + i128::from(rounded_up);
        exp10 += 1;
    }
    while mantissa % 10 == 0 {
        mantissa /= 10;
        exp10 += 1;
    }
    // BinarySI is kept only for integers of magnitude 1024 or more.
    let mut format = format;
    if format == Format::BinarySI {
        let integer = if exp10 >= 0 {
            Some(mantissa.checked_mul(10i128.checked_pow(exp10 as u32)?)?)
        } else {
            None
        };
        match integer {
            Some(value) if value >= 1024 => {
                let (mut value, mut power) = (value, 0);
                while value % 1024 == 0 && power < 6 {
                    value /= 1024;
                    power += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power];
                let sign = if negative { "-" } else { "" };
                return Some(format!("{sign}{value}{suffix}"));
            }
            _ => format = Format::DecimalSI,
        }
    }
    // The exponent goes to a multiple of three.
    match exp10.rem_euclid(3) {
        1 => {
            mantissa = mantissa.checked_mul(10)?;
            exp10 -= 1;
        }
        2 => {
            mantissa = mantissa.checked_mul(100)?;
            exp10 -= 2;
        }
        _ => {}
    }
    let suffix = match (format, exp10) {
        (_, 0) => String::new(),
        (Format::DecimalSI, -9) => "n".to_string(),
        (Format::DecimalSI, -6) => "u".to_string(),
        (Format::DecimalSI, -3) => "m".to_string(),
        (Format::DecimalSI, 3) => "k".to_string(),
        (Format::DecimalSI, 6) => "M".to_string(),
        (Format::DecimalSI, 9) => "G".to_string(),
        (Format::DecimalSI, 12) => "T".to_string(),
        (Format::DecimalSI, 15) => "P".to_string(),
        (Format::DecimalSI, 18) => "E".to_string(),
        (_, e) => format!("e{e}"),
    };
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{mantissa}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_quantities_follow_apimachinery() {
        for (given, want) in [
            ("1000m", "1"),
            ("200m", "200m"),
            ("250Mi", "250Mi"),
            ("500Mi", "500Mi"),
            ("0.5", "500m"),
            (".5", "500m"),
            ("1.5Gi", "1536Mi"),
            ("1024", "1024"),
            ("2048Ki", "2Mi"),
            ("0.5Ki", "512"),
            ("1e3", "1e3"),
            ("1E-3", "1e-3"),
            ("1000", "1k"),
            ("1200m", "1200m"),
            ("1500", "1500"),
            ("0", "0"),
            ("0Mi", "0"),
            ("+2", "2"),
            ("-1000m", "-1"),
            ("100Mi", "100Mi"),
            ("1Gi", "1Gi"),
            ("10n", "10n"),
            ("1.5n", "2n"),
            ("2000000k", "2G"),
        ] {
            assert_eq!(canonical(given), want, "{given}");
        }
    }

    #[test]
    fn valid_quantities() {
        for q in [
            "1", "0", "100m", "0.5", ".5", "5.", "256Mi", "1Gi", "+1", "-1", "1e3", "1E-3", "2k",
            "1.5Ei", "10n",
        ] {
            assert!(is_quantity(q), "{q}");
        }
    }

    #[test]
    fn invalid_quantities() {
        for q in [
            "", "abc", "1x", "Mi", "1MiB", "1.2.3", "1e", "1e+", "1 Mi", "m", "--1", "1KI", ".",
        ] {
            assert!(!is_quantity(q), "{q}");
        }
    }
}
