//! The command line: [`args`] declares every command, one module per command runs it.
//! Each command parses its input, calls the stages below, and prints what they report;
//! the exit status is 0 done, 1 rule findings, 2 bad input or failure.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::build::Built;
use crate::diag::{Diagnostics, printable};
use crate::model::Packet;

pub mod args;
mod cmd_build;
mod cmd_calendar;
mod cmd_check;
mod cmd_completions;
mod cmd_corrections;
mod cmd_export;
mod cmd_init;
mod cmd_minutes;
mod cmd_new;
mod cmd_notice;
mod cmd_schema;
mod cmd_serve;
mod cmd_signin;
mod cmd_start;
mod cmd_tracking;
mod cmd_watch;
pub mod localize;

pub use args::Cli;
use args::Command;

/// The program: parse the command line in Chinese ([`localize`]), then run it.
pub fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The program alone (a double-click on packet.exe): the editor on the series here.
    if args.len() <= 1 {
        return cmd_start::run();
    }
    match localize::parse(args) {
        localize::Parsed::Run(cli) => run(cli),
        localize::Parsed::Print { text, to_stderr, status } => {
            if to_stderr {
                eprint!("{text}");
            } else {
                print!("{text}");
            }
            ExitCode::from(status)
        }
    }
}

/// Run one command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Build(cmd) => cmd_build::run(cmd),
        Command::Minutes(cmd) => cmd_minutes::run(cmd),
        Command::Notice(cmd) => cmd_notice::run(cmd),
        Command::Signin(cmd) => cmd_signin::run(cmd),
        Command::Corrections(cmd) => cmd_corrections::run(cmd),
        Command::Deadlines(cmd) => cmd_check::deadlines(cmd),
        Command::Calendar(cmd) => cmd_calendar::run(cmd),
        Command::Check(cmd) => return cmd_check::run(cmd),
        Command::Export(cmd) => cmd_export::run(cmd),
        Command::Schema(cmd) => cmd_schema::run(cmd),
        Command::Watch(cmd) => cmd_watch::run(cmd),
        Command::Serve(cmd) => cmd_serve::run(cmd),
        Command::New(cmd) => cmd_new::run(cmd),
        Command::Init(cmd) => cmd_init::run(cmd),
        Command::Tracking(cmd) => cmd_tracking::run(cmd),
        Command::Completions(cmd) => cmd_completions::run(cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(diags) => {
            eprintln!("{diags}");
            exit_code(&diags)
        }
    }
}

fn exit_code(diags: &Diagnostics) -> ExitCode {
    ExitCode::from(diags.exit_code().clamp(0, 255) as u8)
}

/// Print what a finished document reports: the findings and warnings that did not stop
/// it, then (unless quiet) where it went.
fn report_built(built: &Built, start: Instant, quiet: bool) {
    for w in &built.warnings {
        eprintln!("{w}");
    }
    if !quiet {
        eprintln!(
            "已產生 {}（{} 頁，{} KB，{:.2} 秒）",
            printable(&built.pdf_path.display().to_string()),
            built.pages,
            built.bytes / 1024,
            start.elapsed().as_secs_f64()
        );
    }
}

/// `out/<series>-<meeting>`
fn default_out(packet: &Packet) -> PathBuf {
    PathBuf::from("out").join(packet.slug())
}

/// `out/<series>-<meeting>-internal`: the internal edition's own folder.
fn internal_out(packet: &Packet) -> PathBuf {
    PathBuf::from("out").join(format!("{}-internal", packet.slug()))
}
