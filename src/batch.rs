//! Many documents in one process: a whole series in parallel, and `packet watch`.
//! Fonts are parsed once, templates compiled once, and Typst's memoization (comemo)
//! is shared by every compilation in the process, so later builds reuse earlier work.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, mpsc};
use std::time::{Duration, Instant};

use crate::build::{self, BuildOptions, Built, Checks, Input};
use crate::diag::{Diagnostic, Diagnostics, Result, io_reason};
use crate::model::{Packet, Series, meeting_dirs};
use crate::typeset::fonts::FontSet;

/// A series directory: it holds group.toml and no meeting.toml.
pub(crate) fn is_series_dir(path: &Path) -> bool {
    path.is_dir() && path.join("group.toml").is_file() && !path.join("meeting.toml").is_file()
}

/// Check and build one meeting's agenda, as `packet build` does: the check findings
/// come back among the build's warnings. `shared` holds the series for a series build,
/// loaded by the first meeting that needs it; otherwise the meeting loads its own.
pub(crate) fn checked_agenda(
    meeting: &Path,
    shared: Option<(&Path, &OnceLock<Result<Series>>)>,
    checks: &Checks,
    opts: impl FnOnce(&Packet) -> BuildOptions,
    fonts: Arc<FontSet>,
) -> Result<Built> {
    let packet = Packet::load(meeting)?;
    let own;
    let series = match shared {
        _ if !packet.tracks() => None,
        Some((dir, loaded)) => Some(loaded.get_or_init(|| Series::load(dir))),
        None => {
            own = Series::of(&packet);
            own.as_ref()
        }
    };
    let input = Input { packet: &packet, series };
    let findings = checks.gate(input)?;
    let mut built = build::build_agenda(input, &opts(&packet), fonts)?;
    built.warnings.splice(0..0, findings);
    Ok(built)
}

/// Build the agenda of every meeting of `series` on all cores, each checked first.
/// Each meeting's outcome is returned (one failure does not stop the others); `tick`
/// is called after each.
pub(crate) fn build_series(
    series: &Path,
    out_root: &Path,
    template: &BuildOptions,
    checks: &Checks,
    fonts: Arc<FontSet>,
    tick: &(dyn Fn(&Path) + Sync),
) -> Result<Vec<(PathBuf, Result<Built>)>> {
    let dirs = meeting_dirs(series)?;
    // Loaded once, when a meeting's tracking table first needs it.
    let loaded = OnceLock::new();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, PathBuf, Result<Built>)>> = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(dirs.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(dir) = dirs.get(i) else { break };
                    let outcome = checked_agenda(
                        dir,
                        Some((series, &loaded)),
                        checks,
                        |packet| BuildOptions { out_dir: out_root.join(packet.slug()), ..template.clone() },
                        fonts.clone(),
                    );
                    // Like the typst CLI between compilations: keep Typst's cache bounded
                    // to what recent meetings used (a long series would otherwise hold
                    // every page it laid out).
                    typst::comemo::evict(10);
                    tick(dir);
                    results.lock().unwrap_or_else(|p| p.into_inner()).push((i, dir.clone(), outcome));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.sort_by_key(|(i, _, _)| *i);
    Ok(results.into_iter().map(|(_, d, r)| (d, r)).collect())
}

/// How long the files must be quiet after a change before `watch` rebuilds.
const QUIET: Duration = Duration::from_millis(15);

/// What `watch` reports after each build.
pub enum WatchEvent {
    Built { built: Built, elapsed: Duration, first: bool },
    Failed { errors: Diagnostics, elapsed: Duration },
}

/// Rebuild `meeting`'s agenda whenever a file of its series changes, until `stop`
/// returns true (checked after each build). A failed build leaves the last good PDF
/// in place (writes are atomic) and keeps watching.
pub fn watch(
    meeting: &Path,
    opts: &BuildOptions,
    checks: &Checks,
    fonts: Arc<FontSet>,
    mut report: impl FnMut(WatchEvent),
    mut stop: impl FnMut() -> bool,
) -> Result<()> {
    use notify::{RecursiveMode, Watcher};
    let build = |first: bool| -> WatchEvent {
        let start = Instant::now();
        // The series is loaded anew for each build: a save may have changed it.
        let outcome = checked_agenda(meeting, None, checks, |_| opts.clone(), fonts.clone());
        // Only the last builds' entries stay in Typst's cache: a day of edits must not
        // grow the process without bound.
        typst::comemo::evict(10);
        match outcome {
            Ok(built) => WatchEvent::Built { built, elapsed: start.elapsed(), first },
            Err(errors) => WatchEvent::Failed { errors, elapsed: start.elapsed() },
        }
    };
    let meeting_dir =
        if meeting.is_dir() { meeting.to_path_buf() } else { meeting.parent().unwrap_or(Path::new(".")).to_path_buf() };
    let series = meeting_dir
        .join("..")
        .canonicalize()
        .map_err(|e| Diagnostic::error(format!("無法讀取系列目錄：{}", io_reason(&e))).at_file(&meeting_dir))?;
    let out_dir = opts.out_dir.canonicalize().unwrap_or_else(|_| opts.out_dir.clone());

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let _ = tx.send(event);
    })
    .map_err(|e| Diagnostic::error(format!("無法監看檔案：{e}")))?;
    watcher
        .watch(&series, RecursiveMode::Recursive)
        .map_err(|e| Diagnostic::error(format!("無法監看檔案：{e}")).at_file(&series))?;

    report(build(true));
    if stop() {
        return Ok(());
    }
    // Changes worth a rebuild: content changes to files that are not our own output.
    let relevant = |event: &notify::Event| {
        use notify::EventKind::*;
        matches!(event.kind, Create(_) | Modify(_) | Remove(_))
            && event.paths.iter().any(|p| {
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                !p.starts_with(&out_dir) && !name.starts_with(".packet-") && !name.ends_with('~')
            })
    };
    loop {
        let Ok(first) = rx.recv() else { return Ok(()) };
        let mut changed = first.as_ref().is_ok_and(relevant);
        // An editor's save is several events (write to a temporary file, rename, …),
        // all within a few milliseconds: wait until the files are quiet for 15 ms.
        while let Ok(more) = rx.recv_timeout(QUIET) {
            changed |= more.as_ref().is_ok_and(relevant);
        }
        if changed {
            report(build(false));
            if stop() {
                return Ok(());
            }
        }
    }
}
