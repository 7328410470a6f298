// cargo.rs - oracle for the "cargo" scheme: the Rust `semver` crate itself
// (Debian's librust-semver-dev sources, compiled by tests/oracle/version.sh).
//
// Reads "A\tB" lines on stdin (split on '\n' only) and prints, per line,
// -1, 0 or 1 for the SemVer precedence of Version::parse(A) against
// Version::parse(B), or E when either does not parse. Precedence is the
// crate's own Ord on (major, minor, patch, pre), which is what
// Version::cmp_precedence does in later releases of the crate and what
// VersionReq matching uses: build metadata is left out (the derived Ord on
// Version would order 1.0.0+a before 1.0.0+b; see docs/versions.md).
// Input that is not UTF-8 cannot be a Rust &str; it is decoded lossily, so
// such lines come out E, as the crate would never see them.
use std::io::{self, Read, Write};

fn main() {
    let mut raw = Vec::new();
    io::stdin().read_to_end(&mut raw).expect("read stdin");
    let text = String::from_utf8_lossy(&raw);
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    let mut out = String::with_capacity(lines.len() * 3);
    for line in lines {
        let (a, b) = match line.find('\t') {
            Some(i) => (&line[..i], &line[i + 1..]),
            None => (line, ""),
        };
        match (semver::Version::parse(a), semver::Version::parse(b)) {
            (Ok(x), Ok(y)) => {
                let o = (x.major, x.minor, x.patch, &x.pre).cmp(&(y.major, y.minor, y.patch, &y.pre));
                out.push_str(match o {
                    std::cmp::Ordering::Less => "-1\n",
                    std::cmp::Ordering::Equal => "0\n",
                    std::cmp::Ordering::Greater => "1\n",
                });
            }
            _ => out.push_str("E\n"),
        }
    }
    io::stdout().write_all(out.as_bytes()).expect("write stdout");
}
