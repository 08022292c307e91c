#if canImport(Glibc)
import Glibc
#endif
import LedgerLog

ignoreSignalsThatWouldInterruptWrites()
exit(GenerateEvents.run(Array(CommandLine.arguments.dropFirst())))
