#!/usr/bin/python3
"""Static checks of the SQL in store/*.cpp (issue 13), so nobody bypasses the rules later.

--check states: a dossier's status is written in ONE function, dossiers::transition in
  store/DossierRepository.cpp (UPDATE ... WHERE status = from, row count checked, transition table
  checked). The states of inbound items and outbound messages are written only by UPDATEs that
  name the state they expect in their WHERE (so a concurrent change is a row count of 0, never an
  overwrite), except the ones listed in KNOWN_UNGUARDED.
--check joins: no SQL joins two tenant tables (creditor_id NOT NULL, read from
  store/migrations/*.sql) without equating their creditor_id in the JOIN's ON clause, so no query
  mixes creditors and each stays a single-shard statement when distributed by creditor_id.

How SQL is found: every C++ statement (up to its ';') whose string literals, joined, contain SQL;
the enclosing function is the last definition line at column 0 before it. Prints what it finds and
"N passed, M failed"; exit 0 only when all passed.
"""
import argparse, glob, os, re, sys

# UPDATEs whose state guard sits in SQL the scan cannot see (a sub-select picked at run time).
GUARDED_ELSEWHERE = {
    ("OutboxRepository.cpp", "claimNext"),  # WHERE id = (`pick`: ... WHERE state = 'planned' ...) AND state = 'planned'
}
MACHINE_TABLES = {"dossiers": "status", "inbound_items": "state", "outbound_messages": "state"}
DOSSIER_WRITER = ("DossierRepository.cpp", "transition")

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what + ("\n     " + str(detail) if detail else ""))


LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
# File-level string constants (`const char* kFence = " WHERE ...";`): a statement that names one
# gets its text, so a guard kept in a constant is seen.
CONSTANT = re.compile(r'(?:const\s+char\s*\*|const\s+std::string|constexpr\s+const\s+char\s*\*|constexpr\s+std::string_view)'
                      r'\s+(k\w+)\s*=\s*((?:\s*"(?:[^"\\\n]|\\.)*")+)\s*;')
DEFINITION = re.compile(r"^[A-Za-z_][\w:<>,\s\*&]*?\b([A-Za-z_]\w*)\s*\(")


def strip_comments(code):
    # Line comments outside string literals (SQL in this code base never contains "//").
    out = []
    for line in code.split("\n"):
        in_str = False
        i = 0
        while i < len(line):
            c = line[i]
            if c == "\\" and in_str:
                i += 2
                continue
            if c == '"':
                in_str = not in_str
            if not in_str and line.startswith("//", i):
                line = line[:i]
                break
            i += 1
        out.append(line)
    return "\n".join(out)


def sql_statements(path):
    """(function, sql) for every C++ statement of the file that holds SQL."""
    code = strip_comments(open(path, encoding="utf-8").read())
    constants = {m.group(1): " ".join(LITERAL.findall(m.group(2))) for m in CONSTANT.finditer(code)}
    lines = code.split("\n")
    function_at = []  # line index -> enclosing function name
    current = ""
    for line in lines:
        m = DEFINITION.match(line)
        if m and not line.startswith(("namespace", "}", "#", "using", "struct", "class", "enum", "return")):
            current = m.group(1)
        function_at.append(current)
    out = []
    start = 0
    line_no = 0
    buf = []
    in_str = False
    i = 0
    text = code
    while i < len(text):
        c = text[i]
        if c == "\n":
            line_no += 1
        if c == "\\" and in_str:
            buf.append(text[i:i + 2])
            i += 2
            continue
        if c == '"':
            in_str = not in_str
        buf.append(c)
        if c in ";{}" and not in_str:
            stmt = "".join(buf)
            literals = " ".join(LITERAL.findall(stmt))
            outside = LITERAL.sub(" ", stmt)
            for name, value in constants.items():
                if re.search(r"\b%s\b" % name, outside) and not re.search(r"\b%s\s*=" % name, outside):
                    literals += " " + value
            literals = literals.replace("\\n", " ").replace('\\"', '"')
            if re.search(r"\b(SELECT|UPDATE|INSERT|DELETE|JOIN)\b", literals):
                out.append((function_at[min(line_no, len(function_at) - 1)], re.sub(r"\s+", " ", literals), line_no + 1))
            buf = []
            start = i + 1
        i += 1
    return out


def check_states(store_dir):
    found_writer = False
    for path in sorted(glob.glob(os.path.join(store_dir, "*.cpp"))):
        name = os.path.basename(path)
        for function, sql, line in sql_statements(path):
            for m in re.finditer(r"\bUPDATE\s+(\w+)\s+SET\s+(.*?)(?:\bWHERE\b(.*?))?(?:\bRETURNING\b|$)", sql, re.I):
                table, sets, where = m.group(1), m.group(2), m.group(3) or ""
                column = MACHINE_TABLES.get(table)
                if not column or not re.search(r"(^|,)\s*" + column + r"\s*=", sets):
                    continue
                where_loc = "%s:%d %s()" % (name, line, function)
                if table == "dossiers":
                    ok = (name, function) == DOSSIER_WRITER
                    found_writer = found_writer or ok
                    check(ok, "dossiers.status is written only by dossiers::transition (%s)" % where_loc, sql[:200])
                    if ok:
                        check(re.search(r"\bstatus\s*=\s*\$\d", where) is not None,
                              "dossiers::transition names the status it expects in its WHERE", sql[:200])
                    continue
                guarded = re.search(r"\b" + column + r"\s*(=|IN\b|<>)", where) is not None
                if (name, function) in GUARDED_ELSEWHERE:
                    print("note %s: %s.%s guarded in a sub-select kept in a variable" % (where_loc, table, column))
                    continue
                check(guarded, "%s.%s changes only from a named state (%s)" % (table, column, where_loc), sql[:200])
    check(found_writer, "the one dossier status writer exists (%s in %s)" % (DOSSIER_WRITER[1], DOSSIER_WRITER[0]))


def tenant_tables(migrations_dir):
    """Tables with a creditor_id NOT NULL column, from the migrations (CREATE TABLE and ADD COLUMN)."""
    tenant, nullable = set(), set()
    for path in sorted(glob.glob(os.path.join(migrations_dir, "*.sql"))):
        sql = "\n".join(l.split("--")[0] for l in open(path, encoding="utf-8").read().split("\n"))
        for m in re.finditer(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\((.*?)\n\);", sql, re.S | re.I):
            col = re.search(r"^\s*creditor_id\b([^,\n]*)", m.group(2), re.M)
            if col:
                (tenant if "NOT NULL" in col.group(1).upper() else nullable).add(m.group(1))
        for m in re.finditer(r"ALTER TABLE (\w+) ADD COLUMN creditor_id\b([^;]*);", sql, re.I):
            (tenant if "NOT NULL" in m.group(2).upper() else nullable).add(m.group(1))
    return tenant, nullable


def check_joins(store_dir, migrations_dir):
    tenant, nullable = tenant_tables(migrations_dir)
    check(len(tenant) >= 10 and "dossiers" in tenant and "debtors" in tenant,
          "tenant tables read from the migrations (%d)" % len(tenant), sorted(tenant))
    joins = 0
    keyword = r"(?:\bJOIN\b|\bWHERE\b|\bGROUP\b|\bORDER\b|\bLIMIT\b|\bLEFT\b|\bINNER\b|\bUNION\b|\)|$)"
    for path in sorted(glob.glob(os.path.join(store_dir, "*.cpp"))):
        name = os.path.basename(path)
        for function, sql, line in sql_statements(path):
            if not re.search(r"\bJOIN\b", sql, re.I):
                continue
            aliases = {}
            for m in re.finditer(r"\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(?!ON\b|WHERE\b|JOIN\b|LEFT\b|INNER\b|USING\b)(\w+))?",
                                 sql, re.I):
                aliases[m.group(2) or m.group(1)] = m.group(1)
            for m in re.finditer(r"\bJOIN\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?\s+ON\s+(.*?)(?=" + keyword + ")", sql, re.I):
                table, alias, on = m.group(1), m.group(2) or m.group(1), m.group(3)
                if table not in tenant:
                    continue
                others = {a for a in re.findall(r"\b(\w+)\.\w+", on) if a != alias and aliases.get(a) in tenant}
                for other in sorted(others):
                    joins += 1
                    equated = re.search(r"\b%s\.creditor_id\s*=\s*%s\.creditor_id\b" % (alias, other), on) or \
                        re.search(r"\b%s\.creditor_id\s*=\s*%s\.creditor_id\b" % (other, alias), on)
                    check(equated is not None, "%s:%d %s(): JOIN %s %s ON ... equates creditor_id with %s (%s)" %
                          (name, line, function, table, alias, other, aliases[other]), on)
    check(joins > 0, "joins between tenant tables were found and checked (%d)" % joins)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True, help="the repository root")
    ap.add_argument("--check", choices=["states", "joins"], required=True)
    args = ap.parse_args()
    store_dir = os.path.join(args.source, "store")
    if args.check == "states":
        check_states(store_dir)
    else:
        check_joins(store_dir, os.path.join(store_dir, "migrations"))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
