//! Time without ambiguity: [`Timestamp`] can only hold a UTC instant (with the
//! input's sub-second precision kept), [`LocalDateTime`] is a zone-less wall-clock
//! reading, and [`TimeZone`] turns the second into the first.

use std::fmt;
use std::sync::{Arc, Mutex};

use serde::Serialize;

/// A UTC instant, printed as RFC 3339 with `Z` and the precision it was given
/// in (`.128Z` stays milliseconds, `.596843Z` stays microseconds).
///
/// ```
/// use orderhook::Timestamp;
/// let t = Timestamp::parse_rfc3339("2024-03-12T16:41:49.128+02:00").unwrap();
/// assert_eq!(t.to_string(), "2024-03-12T14:41:49.128Z");
/// assert!(Timestamp::parse_rfc3339("2024-02-30T00:00:00Z").is_err());
/// ```
///
/// Equality and order are by instant: `.5Z` and `.500Z` are the same time.
///
/// ```
/// use orderhook::Timestamp;
/// let a = Timestamp::parse_rfc3339("2024-03-12T14:41:49.5Z").unwrap();
/// let b = Timestamp::parse_rfc3339("2024-03-12T16:41:49.500+02:00").unwrap();
/// assert_eq!(a, b);
/// assert!(Timestamp::parse_rfc3339("0001-01-01T00:30:00+01:00").is_err()); // year 0
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Timestamp {
    seconds: i64,
    nanos: u32,
    digits: u8,
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Timestamp) -> bool {
        (self.seconds, self.nanos) == (other.seconds, other.nanos)
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Timestamp) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Timestamp) -> std::cmp::Ordering {
        (self.seconds, self.nanos).cmp(&(other.seconds, other.nanos))
    }
}

impl std::hash::Hash for Timestamp {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        (self.seconds, self.nanos).hash(h);
    }
}

/// 0001-01-01T00:00:00Z and the second after 9999-12-31T23:59:59Z: RFC 3339
/// writes four-digit years only.
const FIRST_SECOND: i64 = -62_135_596_800;
const END_SECOND: i64 = 253_402_300_800;

impl Timestamp {
    /// Parse `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`; `t`/`z`/space accepted too.
    ///
    /// # Errors
    /// A malformed string, an impossible date (`2024-02-30`), an hour of 24, a
    /// second of 60, or a missing or colon-less offset.
    pub fn parse_rfc3339(s: &str) -> Result<Timestamp, TimeError> {
        let b = s.as_bytes();
        let (local, rest) = LocalDateTime::parse_prefix(b, |c| c == b'T' || c == b't' || c == b' ')?;
        let (nanos, digits, rest) = parse_fraction(rest)?;
        let offset = match rest {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                let h = two(*h1, *h2).filter(|h| *h <= 23).ok_or(TimeError::Offset)?;
                let m = two(*m1, *m2).filter(|m| *m <= 59).ok_or(TimeError::Offset)?;
                let o = i64::from(h) * 3600 + i64::from(m) * 60;
                if *sign == b'-' {
                    -o
                } else {
                    o
                }
            }
            [] => return Err(TimeError::NoOffset),
            _ => return Err(TimeError::Offset),
        };
        Timestamp::from_parts(local.as_utc_seconds() - offset, nanos, digits)
    }

    /// A whole number of seconds since 1970-01-01T00:00:00Z (Stripe's `created`),
    /// printed without a fraction.
    ///
    /// ```
    /// use orderhook::Timestamp;
    /// assert_eq!(Timestamp::from_unix_seconds(1_787_900_000).unwrap().to_string(), "2026-08-28T06:53:20Z");
    /// assert!(Timestamp::from_unix_seconds(i64::MAX).is_err());
    /// ```
    ///
    /// # Errors
    /// A time outside the years 0001–9999, which RFC 3339 cannot write.
    pub fn from_unix_seconds(seconds: i64) -> Result<Timestamp, TimeError> {
        Timestamp::from_parts(seconds, 0, 0)
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    #[must_use]
    pub fn unix_seconds(&self) -> i64 {
        self.seconds
    }

    /// Sub-second part, in nanoseconds.
    #[must_use]
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    fn from_parts(seconds: i64, nanos: u32, digits: u8) -> Result<Timestamp, TimeError> {
        if !(FIRST_SECOND..END_SECOND).contains(&seconds) {
            return Err(TimeError::OutOfRange);
        }
        Ok(Timestamp { seconds, nanos, digits })
    }
}

impl Timestamp {
    /// The RFC 3339 text, written digit by digit into `buf` (the formatting
    /// machinery costs several times more in wasm); returns its length.
    fn write_rfc3339(&self, buf: &mut [u8; 30]) -> usize {
        fn digits(buf: &mut [u8], mut v: u32) {
            for b in buf.iter_mut().rev() {
                *b = b'0' + (v % 10) as u8;
                v /= 10;
            }
        }
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400) as u32;
        let (y, m, d) = civil_from_days(days);
        // Years are 0001–9999 (checked when the timestamp was made).
        digits(&mut buf[0..4], y as u32);
        buf[4] = b'-';
        digits(&mut buf[5..7], u32::from(m));
        buf[7] = b'-';
        digits(&mut buf[8..10], u32::from(d));
        buf[10] = b'T';
        digits(&mut buf[11..13], secs / 3600);
        buf[13] = b':';
        digits(&mut buf[14..16], secs / 60 % 60);
        buf[16] = b':';
        digits(&mut buf[17..19], secs % 60);
        let mut len = 19;
        if self.digits > 0 {
            let n = usize::from(self.digits);
            buf[19] = b'.';
            digits(&mut buf[20..20 + n], self.nanos / 10u32.pow(9 - u32::from(self.digits)));
            len = 20 + n;
        }
        buf[len] = b'Z';
        len + 1
    }

    /// The RFC 3339 text, for the result writer.
    pub(crate) fn with_rfc3339<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        let mut buf = [0u8; 30];
        let len = self.write_rfc3339(&mut buf);
        // ASCII digits and separators only.
        f(std::str::from_utf8(&buf[..len]).unwrap_or_default())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_rfc3339(|s| f.write_str(s))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.with_rfc3339(|text| s.serialize_str(text))
    }
}

/// A calendar date and wall-clock time with no zone, as Vrio sends them
/// (`2024-09-12 10:44:13`). Always a real date and time in years 0001–9999.
///
/// ```
/// use orderhook::time::{LocalDateTime, TimeError};
/// let t = LocalDateTime::new(2024, 2, 29, 23, 59, 59).unwrap();
/// assert_eq!((t.year(), t.month(), t.day()), (2024, 2, 29));
/// assert_eq!(LocalDateTime::new(2024, 13, 40, 99, 0, 0), Err(TimeError::Date));
/// assert_eq!(LocalDateTime::new(2024, 1, 1, 24, 0, 0), Err(TimeError::Time));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    year: i16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl LocalDateTime {
    /// A checked date and time.
    ///
    /// # Errors
    /// [`TimeError::Date`] for a day that is not in the calendar of years
    /// 0001–9999, [`TimeError::Time`] for a time of day past 23:59:59.
    pub fn new(year: i16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Result<LocalDateTime, TimeError> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(TimeError::Date);
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(TimeError::Time);
        }
        Ok(LocalDateTime { year, month, day, hour, minute, second })
    }

    /// Year, 1..=9999.
    #[must_use]
    pub fn year(&self) -> i16 {
        self.year
    }

    /// Month, 1..=12.
    #[must_use]
    pub fn month(&self) -> u8 {
        self.month
    }

    /// Day of month, valid for the month.
    #[must_use]
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Hour, 0..=23.
    #[must_use]
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// Minute, 0..=59.
    #[must_use]
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// Second, 0..=59.
    #[must_use]
    pub fn second(&self) -> u8 {
        self.second
    }

    /// Parse `YYYY-MM-DD HH:MM:SS` (a `T` separator is accepted too).
    ///
    /// # Errors
    /// A malformed string or an impossible date or time.
    pub fn parse(s: &str) -> Result<LocalDateTime, TimeError> {
        let (dt, rest) = LocalDateTime::parse_prefix(s.as_bytes(), |c| c == b' ' || c == b'T')?;
        if rest.is_empty() {
            Ok(dt)
        } else {
            Err(TimeError::Syntax)
        }
    }

    fn parse_prefix(b: &[u8], is_sep: impl Fn(u8) -> bool) -> Result<(LocalDateTime, &[u8]), TimeError> {
        if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !is_sep(b[10]) || b[13] != b':' || b[16] != b':' {
            return Err(TimeError::Syntax);
        }
        let year = two(b[0], b[1])
            .zip(two(b[2], b[3]))
            .map(|(hi, lo)| i16::from(hi) * 100 + i16::from(lo))
            .ok_or(TimeError::Syntax)?;
        let num = |i: usize| two(b[i], b[i + 1]).ok_or(TimeError::Syntax);
        let (month, day, hour, minute, second) = (num(5)?, num(8)?, num(11)?, num(14)?, num(17)?);
        Ok((LocalDateTime::new(year, month, day, hour, minute, second)?, &b[19..]))
    }

    /// The instant this reading names if it were UTC.
    pub fn as_utc_seconds(&self) -> i64 {
        days_from_civil(i64::from(self.year), self.month, self.day) * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// The UTC instant of this reading in `zone`.
    ///
    /// # Errors
    /// An IANA zone name the host does not know.
    pub fn to_timestamp(&self, zone: &TimeZone) -> Result<Timestamp, TimeError> {
        let offset = match zone {
            TimeZone::Fixed(o) => i64::from(*o),
            TimeZone::Named(rules) => i64::from(rules.offset_at_local(self).ok_or(TimeError::UnknownZone)?),
        };
        Timestamp::from_parts(self.as_utc_seconds() - offset, 0, 0)
    }
}

/// Resolves an IANA zone's UTC offset for a wall-clock reading. Natively this is
/// the system tz database; in wasm it is the host's `Intl`.
pub trait ZoneRules: fmt::Debug + Send + Sync {
    /// The zone's name, e.g. `America/New_York`.
    fn name(&self) -> &str;
    /// Offset from UTC in seconds at that wall-clock time. For a reading skipped
    /// by a DST gap or repeated by a fold, the offset in force just before the
    /// transition (RFC 5545 / Temporal "compatible"). `None` if unresolvable.
    fn offset_at_local(&self, local: &LocalDateTime) -> Option<i32>;
}

/// [`ZoneRules`] from a function giving the zone's offset at a UTC instant, such
/// as one built on the host's `Intl.DateTimeFormat`. Gaps and folds are found
/// by comparing the offsets a day either side.
pub struct InstantOffsets<F> {
    name: String,
    offset_at: F,
    /// The last local hour found far from any transition, with its offset: the
    /// dates of one body mostly share an hour, and each ask costs a call into the host.
    quiet_hour: Mutex<Option<(i64, i32)>>,
}

impl<F: Fn(i64) -> Option<i32>> InstantOffsets<F> {
    /// `offset_at(unix_seconds)` returns the zone's UTC offset in seconds then.
    pub fn new(name: impl Into<String>, offset_at: F) -> InstantOffsets<F> {
        InstantOffsets { name: name.into(), offset_at, quiet_hour: Mutex::new(None) }
    }
}

impl<F> fmt::Debug for InstantOffsets<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstantOffsets").field("name", &self.name).finish()
    }
}

impl<F: Fn(i64) -> Option<i32> + Send + Sync> ZoneRules for InstantOffsets<F> {
    fn name(&self) -> &str {
        &self.name
    }

    fn offset_at_local(&self, local: &LocalDateTime) -> Option<i32> {
        let wall = local.as_utc_seconds();
        let hour = wall.div_euclid(3600);
        let mut quiet = self.quiet_hour.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((h, offset)) = *quiet {
            if h == hour {
                return Some(offset);
            }
        }
        // Almost always the offsets a day before the hour and a day after it agree:
        // zones change offset at most once in two days, so that offset holds
        // throughout, and is the answer for every reading in the hour.
        let start = hour * 3600;
        let before = (self.offset_at)(start - 86_400)?;
        if (self.offset_at)(start + 3599 + 86_400)? == before {
            *quiet = Some((hour, before));
            return Some(before);
        }
        drop(quiet);
        let before = (self.offset_at)(wall - 86_400)?;
        let after = (self.offset_at)(wall + 86_400)?;
        if before == after {
            return Some(before);
        }
        // A candidate offset is right if the instant it gives reads back as `wall`.
        let fits = |o: i32| (self.offset_at)(wall - i64::from(o)).is_some_and(|x| x == o);
        Some(if fits(before) || !fits(after) { before } else { after })
    }
}

/// The zone that zone-less provider dates are read in.
#[derive(Debug, Clone)]
pub enum TimeZone {
    /// A fixed offset from UTC in seconds (`UTC` is `Fixed(0)`).
    Fixed(i32),
    /// An IANA zone with its DST rules.
    Named(Arc<dyn ZoneRules>),
}

impl TimeZone {
    /// UTC.
    pub const UTC: TimeZone = TimeZone::Fixed(0);

    /// `"UTC"`, `"Z"`, `"+02:00"`, `"-0530"`, or an IANA name the system knows.
    ///
    /// # Errors
    /// A malformed offset or an unknown zone name.
    pub fn parse(s: &str) -> Result<TimeZone, TimeError> {
        if let Some(fixed) = parse_fixed_offset(s) {
            return fixed.map(TimeZone::Fixed);
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            system::SystemZone::get(s).map(|z| TimeZone::Named(Arc::new(z)))
        }
        #[cfg(target_arch = "wasm32")]
        {
            Err(TimeError::UnknownZone)
        }
    }

    /// How the zone is written: `UTC`, `+02:00`, or the IANA name.
    pub fn name(&self) -> String {
        match self {
            TimeZone::Fixed(0) => "UTC".to_owned(),
            TimeZone::Fixed(o) => {
                let sign = if *o < 0 { '-' } else { '+' };
                let a = o.unsigned_abs();
                format!("{sign}{:02}:{:02}", a / 3600, a / 60 % 60)
            }
            TimeZone::Named(rules) => rules.name().to_owned(),
        }
    }
}

/// `Some(Ok)` for a fixed offset or UTC, `Some(Err)` for a malformed offset,
/// `None` for something that may be an IANA name.
fn parse_fixed_offset(s: &str) -> Option<Result<i32, TimeError>> {
    if s.eq_ignore_ascii_case("utc")
        || s.eq_ignore_ascii_case("z")
        || s.eq_ignore_ascii_case("etc/utc")
        || s.eq_ignore_ascii_case("gmt")
    {
        return Some(Ok(0));
    }
    let b = s.as_bytes();
    let sign = match b.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return None,
    };
    let (h, m) = match &b[1..] {
        [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (two(*h1, *h2), two(*m1, *m2)),
        [h1, h2] => (two(*h1, *h2), Some(0)),
        _ => return Some(Err(TimeError::Offset)),
    };
    Some(match (h, m) {
        (Some(h), Some(m)) if h <= 23 && m <= 59 => Ok(sign * (i32::from(h) * 3600 + i32::from(m) * 60)),
        _ => Err(TimeError::Offset),
    })
}

/// Why a date, time or zone was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeError {
    /// Not of the expected shape.
    Syntax,
    /// A date that does not exist (month 13, February 30).
    Date,
    /// A time that does not exist (24:00:00, a leap second).
    Time,
    /// An offset that is not `±HH:MM`.
    Offset,
    /// No `Z` or offset where one is required.
    NoOffset,
    /// An IANA zone name that cannot be resolved.
    UnknownZone,
    /// An instant before year 0001 or after 9999 in UTC.
    OutOfRange,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeError::Syntax => "not a date-time of the expected form",
            TimeError::Date => "date does not exist in the calendar",
            TimeError::Time => "time of day is out of range",
            TimeError::Offset => "UTC offset must be written ±HH:MM, at most ±23:59",
            TimeError::NoOffset => "date-time has no `Z` or UTC offset",
            TimeError::UnknownZone => "unknown time zone",
            TimeError::OutOfRange => "date-time is outside the years 0001 to 9999 in UTC",
        })
    }
}

fn parse_fraction(b: &[u8]) -> Result<(u32, u8, &[u8]), TimeError> {
    let Some(rest) = b.strip_prefix(b".") else {
        return Ok((0, 0, b));
    };
    let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if n == 0 || n > 9 {
        return Err(TimeError::Syntax);
    }
    let mut nanos: u32 = 0;
    for c in &rest[..n] {
        nanos = nanos * 10 + u32::from(c - b'0');
    }
    nanos *= 10u32.pow(9 - n as u32);
    Ok((nanos, n as u8, &rest[n..]))
}

fn two(a: u8, b: u8) -> Option<u8> {
    (a.is_ascii_digit() && b.is_ascii_digit()).then(|| (a - b'0') * 10 + (b - b'0'))
}

fn is_leap(y: i16) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i16, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(not(target_arch = "wasm32"))]
mod system {
    //! IANA zones from the system tz database, through jiff.
    use super::{LocalDateTime, TimeError, ZoneRules};

    #[derive(Debug)]
    pub(super) struct SystemZone {
        name: String,
        tz: jiff::tz::TimeZone,
    }

    impl SystemZone {
        pub(super) fn get(name: &str) -> Result<SystemZone, TimeError> {
            let tz = jiff::tz::TimeZone::get(name).map_err(|_| TimeError::UnknownZone)?;
            Ok(SystemZone { name: name.to_owned(), tz })
        }
    }

    impl ZoneRules for SystemZone {
        fn name(&self) -> &str {
            &self.name
        }

        fn offset_at_local(&self, l: &LocalDateTime) -> Option<i32> {
            let dt = jiff::civil::DateTime::new(
                l.year,
                l.month as i8,
                l.day as i8,
                l.hour as i8,
                l.minute as i8,
                l.second as i8,
                0,
            )
            .ok()?;
            let offset = match self.tz.to_ambiguous_timestamp(dt).offset() {
                jiff::tz::AmbiguousOffset::Unambiguous { offset } => offset,
                jiff::tz::AmbiguousOffset::Gap { before, .. } | jiff::tz::AmbiguousOffset::Fold { before, .. } => {
                    before
                }
            };
            Some(offset.seconds())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_keeps_millisecond_and_microsecond_precision() {
        let ms = Timestamp::parse_rfc3339("2024-03-12T14:41:49.128Z").unwrap();
        assert_eq!(ms.to_string(), "2024-03-12T14:41:49.128Z");
        let us = Timestamp::parse_rfc3339("2024-01-15T12:20:38.596843Z").unwrap();
        assert_eq!(us.to_string(), "2024-01-15T12:20:38.596843Z");
        let none = Timestamp::parse_rfc3339("2023-11-07T05:31:56Z").unwrap();
        assert_eq!(none.to_string(), "2023-11-07T05:31:56Z");
        assert_eq!(none.unix_seconds(), 1_699_335_116);
    }

    #[test]
    fn rfc3339_offsets_are_converted_to_utc() {
        let t = Timestamp::parse_rfc3339("2024-01-01T01:30:00+02:00").unwrap();
        assert_eq!(t.to_string(), "2023-12-31T23:30:00Z");
        let t = Timestamp::parse_rfc3339("2024-01-01T00:00:00.5-05:30").unwrap();
        assert_eq!(t.to_string(), "2024-01-01T05:30:00.5Z");
    }

    #[test]
    fn impossible_or_ambiguous_rfc3339_is_rejected() {
        assert_eq!(Timestamp::parse_rfc3339("2024-02-30T00:00:00Z"), Err(TimeError::Date));
        assert_eq!(Timestamp::parse_rfc3339("2023-02-29T00:00:00Z"), Err(TimeError::Date));
        assert!(Timestamp::parse_rfc3339("2024-02-29T00:00:00Z").is_ok());
        assert_eq!(Timestamp::parse_rfc3339("2024-01-01T24:00:00Z"), Err(TimeError::Time));
        assert_eq!(Timestamp::parse_rfc3339("2024-01-01T00:00:00+0200"), Err(TimeError::Offset));
        assert_eq!(Timestamp::parse_rfc3339("2024-01-01T00:00:00"), Err(TimeError::NoOffset));
        assert_eq!(Timestamp::parse_rfc3339("024-01-01T11:11:11.111Z"), Err(TimeError::Syntax));
        assert_eq!(Timestamp::parse_rfc3339("2024-01-01T00:00:00.Z"), Err(TimeError::Syntax));
    }

    #[test]
    fn local_date_times_read_in_fixed_offsets() {
        let l = LocalDateTime::parse("2024-09-12 10:44:13").unwrap();
        assert_eq!(l.to_timestamp(&TimeZone::UTC).unwrap().to_string(), "2024-09-12T10:44:13Z");
        let z = TimeZone::parse("+02:00").unwrap();
        assert_eq!(l.to_timestamp(&z).unwrap().to_string(), "2024-09-12T08:44:13Z");
        let z = TimeZone::parse("-0500").unwrap();
        assert_eq!(l.to_timestamp(&z).unwrap().to_string(), "2024-09-12T15:44:13Z");
        assert!(TimeZone::parse("+25:00").is_err());
    }

    #[test]
    fn iana_zones_follow_daylight_saving_time() {
        let ny = TimeZone::parse("America/New_York").unwrap();
        let summer = LocalDateTime::parse("2024-07-01 12:00:00").unwrap();
        let winter = LocalDateTime::parse("2024-01-01 12:00:00").unwrap();
        assert_eq!(summer.to_timestamp(&ny).unwrap().to_string(), "2024-07-01T16:00:00Z");
        assert_eq!(winter.to_timestamp(&ny).unwrap().to_string(), "2024-01-01T17:00:00Z");
        // 02:30 does not exist on 2024-03-10 in New York: the offset before the gap applies.
        let gap = LocalDateTime::parse("2024-03-10 02:30:00").unwrap();
        assert_eq!(gap.to_timestamp(&ny).unwrap().to_string(), "2024-03-10T07:30:00Z");
        assert!(TimeZone::parse("Mars/Olympus_Mons").is_err());
    }

    #[test]
    fn instant_offset_functions_resolve_gaps_and_folds_to_the_earlier_offset() {
        // A toy zone: UTC+1, switching to UTC+2 at 1_000_000 s.
        let toy = InstantOffsets::new("Toy/Zone", |t: i64| Some(if t < 1_000_000 { 3600 } else { 7200 }));
        let at = |wall: i64| {
            let days = wall.div_euclid(86_400);
            let (y, m, d) = civil_from_days(days);
            let s = wall.rem_euclid(86_400);
            let l = LocalDateTime::new(y as i16, m, d, (s / 3600) as u8, (s / 60 % 60) as u8, (s % 60) as u8).unwrap();
            toy.offset_at_local(&l).unwrap()
        };
        assert_eq!(at(1_000_000 + 3600 - 10), 3600); // just before the switch
        assert_eq!(at(1_000_000 + 3600 + 1800), 3600); // in the gap: the earlier offset
        assert_eq!(at(1_000_000 + 7200 + 10), 7200); // after
    }

    #[test]
    fn rfc3339_text_is_what_the_formatting_machinery_writes() {
        let reference = |t: &Timestamp| {
            let (y, m, d) = civil_from_days(t.seconds.div_euclid(86_400));
            let secs = t.seconds.rem_euclid(86_400);
            let mut s = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
            if t.digits > 0 {
                let scaled = t.nanos / 10u32.pow(9 - u32::from(t.digits));
                s += &format!(".{scaled:0width$}", width = usize::from(t.digits));
            }
            s + "Z"
        };
        let mut seconds = FIRST_SECOND;
        let mut k = 0u32;
        while seconds < END_SECOND {
            let digits = (k % 10) as u8;
            let nanos = k.wrapping_mul(2_654_435_761) % 1_000_000_000 / 10u32.pow(9 - u32::from(digits))
                * 10u32.pow(9 - u32::from(digits));
            let t = Timestamp::from_parts(seconds, nanos, digits).unwrap();
            assert_eq!(t.to_string(), reference(&t));
            seconds += 98_765_431;
            k += 1;
        }
        let last = Timestamp::from_parts(END_SECOND - 1, 999_999_999, 9).unwrap();
        assert_eq!(last.to_string(), "9999-12-31T23:59:59.999999999Z");
    }

    fn local_at(wall: i64) -> LocalDateTime {
        let (y, m, d) = civil_from_days(wall.div_euclid(86_400));
        let s = wall.rem_euclid(86_400);
        LocalDateTime::new(y as i16, m, d, (s / 3600) as u8, (s / 60 % 60) as u8, (s % 60) as u8).unwrap()
    }

    #[test]
    fn instant_offsets_answer_as_the_day_either_side_rule_does_at_every_second_near_transitions() {
        // A toy zone on half-hour transitions: UTC+10:30, +11:00 from 1_000_800 s, back at 1_600_200 s.
        let offset = |t: i64| if (1_000_800..1_600_200).contains(&t) { 39_600 } else { 37_800 };
        let toy = InstantOffsets::new("Toy/Zone", move |t: i64| Some(offset(t)));
        let rule = |wall: i64| {
            let (before, after) = (offset(wall - 86_400), offset(wall + 86_400));
            let fits = |o: i32| offset(wall - i64::from(o)) == o;
            if fits(before) || !fits(after) {
                before
            } else {
                after
            }
        };
        for transition in [1_000_800, 1_600_200] {
            for wall in (transition - 200_000..transition + 200_000).step_by(97) {
                assert_eq!(toy.offset_at_local(&local_at(wall)), Some(rule(wall)), "wall {wall}");
            }
        }
    }

    #[test]
    fn readings_in_one_quiet_hour_ask_the_host_twice_in_all() {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let zone = InstantOffsets::new("Toy/Zone", |_| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Some(3600)
        });
        for wall in [998_000, 999_000, 1_000_799, 997_200] {
            assert_eq!(zone.offset_at_local(&local_at(wall)), Some(3600));
        }
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 2);
    }

    #[test]
    fn timestamps_compare_by_instant_not_by_precision() {
        let a = Timestamp::parse_rfc3339("2024-03-12T14:41:49.5Z").unwrap();
        let b = Timestamp::parse_rfc3339("2024-03-12T14:41:49.500Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("2024-03-12T14:41:49.5Z".into(), "2024-03-12T14:41:49.500Z".into())
        );
        let later = Timestamp::parse_rfc3339("2024-03-12T14:41:49.501Z").unwrap();
        assert!(later > b);
    }

    #[test]
    fn instants_outside_years_0001_to_9999_are_errors() {
        assert_eq!(Timestamp::parse_rfc3339("0000-06-01T00:00:00Z"), Err(TimeError::Date));
        assert_eq!(Timestamp::parse_rfc3339("0001-01-01T00:00:00+00:01"), Err(TimeError::OutOfRange));
        assert_eq!(Timestamp::parse_rfc3339("9999-12-31T23:59:59-00:01"), Err(TimeError::OutOfRange));
        assert_eq!(Timestamp::parse_rfc3339("0001-01-01T00:00:00Z").unwrap().to_string(), "0001-01-01T00:00:00Z");
        let local = LocalDateTime::parse("0001-01-01 00:00:00").unwrap();
        assert_eq!(local.to_timestamp(&TimeZone::Fixed(3600)), Err(TimeError::OutOfRange));
    }

    #[test]
    fn local_date_times_are_checked_on_construction() {
        assert_eq!(LocalDateTime::new(2024, 13, 40, 99, 0, 0), Err(TimeError::Date));
        assert_eq!(LocalDateTime::new(2023, 2, 29, 0, 0, 0), Err(TimeError::Date));
        assert_eq!(LocalDateTime::new(0, 1, 1, 0, 0, 0), Err(TimeError::Date));
        assert_eq!(LocalDateTime::new(2024, 1, 1, 0, 60, 0), Err(TimeError::Time));
        assert!(LocalDateTime::new(2024, 2, 29, 23, 59, 59).is_ok());
    }

    #[test]
    fn civil_day_conversion_round_trips() {
        for days in [-719_468, -1, 0, 1, 19_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
