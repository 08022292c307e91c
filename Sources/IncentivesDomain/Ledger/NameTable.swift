/// Which of the ledger's interners a decoded name belongs in.
enum NameTable: UInt8, Sendable {
    case programmes, grants, enterprises, centres, texts
}
