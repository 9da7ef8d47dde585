mod sandbox_support;

fn main() -> std::process::ExitCode {
    sandbox_support::run(&[])
}
