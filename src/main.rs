use std::process::ExitCode;

fn main() -> ExitCode {
    custsync::cli::main()
}
