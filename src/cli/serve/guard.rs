//! The page's safety rules as plain functions: the token, the Host header,
//! the names of uploaded files, and the bits of URL parsing they need.

use std::net::IpAddr;

use crate::input::workbook::SPREADSHEET_EXTENSIONS;

/// A fresh token: 128 bits from the operating system's random source, as
/// 32 hex digits.
///
/// # Errors
/// When the operating system gives no random bytes.
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random bytes for the token: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(given: &str, token: &str) -> bool {
    let (a, b) = (given.as_bytes(), token.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The cookie that carries the token: one per port, so two pages served
/// on one machine do not overwrite each other's.
pub fn cookie_name(port: u16) -> String {
    format!("kpi_report_{port}")
}

/// The token in a `Cookie` header, if any.
pub fn token_in_cookies(header: &str, port: u16) -> Option<&str> {
    let name = cookie_name(port);
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Whether a request's Host header names this server by an address, not by
/// a domain name (a page of another site that made its name resolve to
/// this machine still carries its own name, and is refused). Bound to a
/// loopback address, only the loopback names are accepted: `127.0.0.1`,
/// `localhost` and `[::1]`, with the port.
pub fn host_allowed(host: Option<&str>, bind: IpAddr, port: u16) -> bool {
    let Some(host) = host.map(str::trim) else {
        return false;
    };
    let (name, given_port) = match host.rsplit_once(':') {
        // `[::1]:8080`, `127.0.0.1:8080`, `localhost:8080`
        Some((n, p)) if !n.is_empty() && (n.ends_with(']') || !n.contains(':')) => {
            (n, p.parse::<u16>().ok())
        }
        // No port: only right on port 80.
        _ => (host, Some(80)),
    };
    if given_port != Some(port) {
        return false;
    }
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let Ok(ip) = name.parse::<IpAddr>() else {
        return false;
    };
    if bind.is_loopback() {
        ip.is_loopback()
    } else if bind.is_unspecified() {
        true
    } else {
        ip == bind || ip.is_loopback()
    }
}

/// Why an uploaded file's name is refused, in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadName {
    pub en: String,
    pub zh: String,
}

/// Checks that `name` is a plain file name kpi-report reads: no folder
/// part, no `..`, no control characters, not hidden, at most 255 bytes,
/// and a spreadsheet's extension. Only a name that passes ever becomes a
/// path (inside the upload folder).
///
/// # Errors
/// [`BadName`] saying what is wrong and what to do.
pub fn check_name(name: &str) -> Result<(), BadName> {
    let bad = |en: &str, zh: &str| {
        Err(BadName {
            en: format!("'{}': {en}", name.escape_debug()),
            zh: format!("“{}”：{zh}", name.escape_debug()),
        })
    };
    if name.is_empty() {
        return bad("the file name is empty", "文件名为空");
    }
    if name.contains(['/', '\\']) {
        return bad(
            "a path, not a plain file name; upload the file itself",
            "这是路径而不是文件名；请上传文件本身",
        );
    }
    if name.contains("..") {
        return bad(
            "'..' is not allowed in a file name; rename the file",
            "文件名中不允许出现“..”；请重命名文件",
        );
    }
    if name.chars().any(char::is_control) {
        return bad(
            "the file name has control characters; rename the file",
            "文件名含有控制字符；请重命名文件",
        );
    }
    if name.starts_with('.') {
        return bad(
            "a hidden file (its name starts with a dot); rename the file",
            "隐藏文件（文件名以点开头）；请重命名文件",
        );
    }
    if name.len() > 255 {
        return bad(
            "the file name is longer than 255 bytes; shorten it",
            "文件名超过 255 字节；请缩短",
        );
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if ext != "csv" && !SPREADSHEET_EXTENSIONS.contains(&ext.as_str()) {
        return bad(
            "not a spreadsheet (.xlsx .xlsm .xlsb .xls .et .ods .csv .tsv)",
            "不是电子表格（.xlsx .xlsm .xlsb .xls .et .ods .csv .tsv）",
        );
    }
    Ok(())
}

/// Decodes `%XX` escapes (and nothing else) as UTF-8; None when an escape
/// is malformed or the bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Splits a request target into its path and query.
pub fn split_url(url: &str) -> (&str, &str) {
    url.split_once('?').unwrap_or((url, ""))
}

/// A query parameter, decoded (`+` is a space, as forms send it).
pub fn query_param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == key).then(|| percent_decode(&v.replace('+', " ")))?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bits_of_hex_and_differ() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert!(same_token(&a, &a));
        assert!(!same_token(&a, &b));
        assert!(!same_token("", &a));
    }

    #[test]
    fn cookies_per_port() {
        let h = "a=1; kpi_report_8080=abc; kpi_report_9090=def";
        assert_eq!(token_in_cookies(h, 8080), Some("abc"));
        assert_eq!(token_in_cookies(h, 9090), Some("def"));
        assert_eq!(token_in_cookies(h, 7070), None);
    }

    #[test]
    fn hosts() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(host_allowed(Some("127.0.0.1:8080"), lo, 8080));
        assert!(host_allowed(Some("localhost:8080"), lo, 8080));
        assert!(host_allowed(Some("LOCALHOST:8080"), lo, 8080));
        assert!(host_allowed(Some("[::1]:8080"), lo, 8080));
        assert!(!host_allowed(Some("127.0.0.1:8081"), lo, 8080));
        assert!(!host_allowed(Some("127.0.0.1"), lo, 8080));
        assert!(host_allowed(Some("127.0.0.1"), lo, 80));
        assert!(!host_allowed(Some("evil.example:8080"), lo, 8080));
        assert!(!host_allowed(Some("127.0.0.1.nip.io:8080"), lo, 8080));
        assert!(!host_allowed(Some("192.168.1.5:8080"), lo, 8080));
        assert!(!host_allowed(None, lo, 8080));
        assert!(!host_allowed(Some(""), lo, 8080));
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert!(host_allowed(Some("192.168.1.5:8080"), lan, 8080));
        assert!(!host_allowed(Some("192.168.1.6:8080"), lan, 8080));
        assert!(!host_allowed(Some("intranet.local:8080"), lan, 8080));
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(host_allowed(Some("10.0.0.2:8080"), any, 8080));
        assert!(!host_allowed(Some("attacker.example:8080"), any, 8080));
    }

    #[test]
    fn names() {
        for good in [
            "staff.xlsx",
            "sales 2026-10.XLSX",
            "2026年10月销售业绩.xlsx",
            "data.csv",
            "old.xls",
            "a.b.ods",
        ] {
            assert_eq!(check_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "../staff.xlsx",
            "..",
            "a/b.xlsx",
            "a\\b.xlsx",
            "x..y.xlsx",
            ".hidden.xlsx",
            "nul\0.xlsx",
            "tab\t.xlsx",
            "notes.txt",
            "noext",
            "evil.xlsx.exe",
        ] {
            let e = check_name(bad).unwrap_err();
            assert!(!e.en.is_empty() && !e.zh.is_empty(), "{bad}");
        }
        assert!(check_name(&format!("{}.xlsx", "a".repeat(260))).is_err());
    }

    #[test]
    fn urls() {
        assert_eq!(
            percent_decode("%E5%91%98%E5%B7%A5.xlsx").as_deref(),
            Some("员工.xlsx")
        );
        assert_eq!(percent_decode("a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(percent_decode("bad%zz"), None);
        assert_eq!(percent_decode("cut%4"), None);
        assert_eq!(percent_decode("%ff%fe"), None);
        assert_eq!(split_url("/api/x?a=1"), ("/api/x", "a=1"));
        assert_eq!(
            query_param("q=S00+1&lang=zh", "q").as_deref(),
            Some("S00 1")
        );
        assert_eq!(query_param("q=S001&lang=zh", "lang").as_deref(), Some("zh"));
        assert_eq!(query_param("q=S001", "x"), None);
    }
}
