//! `--timings`: how long each phase of a run took, and peak memory.

use std::time::{Duration, Instant};

/// Phase durations in the order they ran.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub phases: Vec<(&'static str, Duration)>,
    started: Option<Instant>,
}

impl Timings {
    pub fn new() -> Timings {
        Timings {
            phases: Vec::new(),
            started: Some(Instant::now()),
        }
    }

    /// Runs `f` as phase `name`.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.phases.push((name, t.elapsed()));
        out
    }

    /// Adds a phase measured elsewhere.
    pub fn add(&mut self, name: &'static str, d: Duration) {
        self.phases.push((name, d));
    }

    pub fn total(&self) -> Duration {
        self.started.map(|s| s.elapsed()).unwrap_or_default()
    }

    /// The phase table, with peak memory where the OS reports it.
    pub fn table(&self) -> String {
        let mut out = String::from("phase                 seconds\n");
        for (name, d) in &self.phases {
            out.push_str(&format!("{name:<20} {:>8.3}\n", d.as_secs_f64()));
        }
        out.push_str(&format!(
            "{:<20} {:>8.3}\n",
            "total",
            self.total().as_secs_f64()
        ));
        if let Some(kib) = peak_memory_kib() {
            out.push_str(&format!(
                "peak memory          {:>8.1} MiB\n",
                kib as f64 / 1024.0
            ));
        }
        out
    }
}

/// Peak resident memory of this process in KiB (Linux: VmHWM).
pub fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_phases_in_order() {
        let mut t = Timings::new();
        let v = t.time("read", || 42);
        t.add("write", Duration::from_millis(1500));
        assert_eq!(v, 42);
        let table = t.table();
        let read = table.find("read").unwrap();
        let write = table.find("write").unwrap();
        assert!(read < write);
        assert!(table.contains("1.500"), "{table}");
        assert!(table.contains("total"));
    }
}
