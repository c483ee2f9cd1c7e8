import ArgumentParser

@main
struct Maskscope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maskscope",
        abstract: "Explore attention masks in transformer models.",
        discussion: """
        Token positions, layers and heads are counted from 0. Every command takes --model \
        (default: $MASKSCOPE_MODEL, else all-MiniLM-L6-v2 if pip-installed, else the built-in \
        model) and a TEXT argument, or - to read the text from standard input.

        Exit status: 0 on success, 64 when an option or the text is unusable (bad mask SPEC, \
        --layer out of range, empty or too long text), 1 for other failures (model files, \
        standard input, output).
        """,
        subcommands: [
            ExploreCommand.self,
            TokensCommand.self,
            AttentionCommand.self,
            ExplainCommand.self,
            BenchCommand.self,
            RenderCommand.self,
            ThemesCommand.self,
            LessonCommand.self,
            InspectCommand.self,
        ],
        defaultSubcommand: ExploreCommand.self
    )
}
