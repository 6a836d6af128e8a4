import ArgumentParser

/// `dutycal`: the duty calendar of China's workplace-safety administration.
@main
struct DutyCal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dutycal",
        abstract: "履职日历：安全生产履职事项的日程与提醒。",
        discussion: """
        Reads the duty catalogue (Calendars/ by default), expands it into dated occurrences on \
        China's working-day calendar, and checks catalogue files.
        Exit status: 0 success, 64 bad command line, 65 bad catalogue, deployment or ledger data, 66 input missing, 69 the mail system refused a message, 70 an external exporter failed, 73 an output could not be written, 74 the ledger cannot be written, 75 temporary failure (mail system down, ledger busy): the next run retries, 78 a setting is missing (or serve cannot listen on its address).
        """,
        subcommands: [Validate.self, Expand.self, ExportOccurrences.self, Feeds.self, Year.self, Publish.self, Serve.self, Token.self, Workdays.self, Remind.self, Done.self, RecordEvent.self, Status.self]
    )
}
