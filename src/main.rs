//! The `knit` binary: build a small async runtime by hand (no `#[tokio::main]`, so completion
//! hooks can run before any runtime exists) and hand over to [`knit::run`].

use std::process::ExitCode;

// The emulator (`knit emulator`) copies and frees JSON trees all the time; mimalloc's
// thread-local free lists cut that cost well below glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // `COMPLETE=<shell> knit -- <words>`: answer the shell and exit, before any runtime exists.
    knit::completion::complete_env(knit::cli::command);
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(code) = knit::run_version(&args) {
        return ExitCode::from(code);
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("Error: cannot start the async runtime: {err}");
            return ExitCode::from(knit::error::EXIT_FAILURE);
        }
    };
    ExitCode::from(runtime.block_on(knit::run(args)))
}
