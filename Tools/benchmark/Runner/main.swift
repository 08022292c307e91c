#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

exit(BenchmarkTool.main(Array(CommandLine.arguments.dropFirst())))
