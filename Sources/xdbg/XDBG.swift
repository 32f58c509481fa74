import ArgumentParser

@main
struct XDBG: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xdbg",
        abstract: "A deterministic record/replay VMM and debugger for IA-64 systems.",
        subcommands: [DisassembleCommand.self, RunCommand.self, BootCommand.self, RecordCommand.self, ReplayCommand.self,
                      InfoCommand.self, SaveCommand.self, RestoreCommand.self, SymbolizeCommand.self, UnwindInfoCommand.self])
}
