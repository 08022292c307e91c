#if canImport(Glibc)
import Glibc
#endif
import IncentivesCLI

exit(CLI.main())
