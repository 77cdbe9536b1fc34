# cmake -DOUT=file.cpp -DDIR=store/migrations -P EmbedMigrations.cmake
# Writes a .cpp defining duegate::store::embeddedMigrations(): every NNNN_name.sql in DIR, in order,
# so the binary carries its schema and `duegate migrate` needs no files next to it.
file(GLOB sqls "${DIR}/*.sql")
list(SORT sqls)
set(body "// Generated from store/migrations/*.sql by cmake/EmbedMigrations.cmake. Do not edit.\n")
string(APPEND body "#include \"store/Migrations.h\"\n\nnamespace duegate::store {\n\n")
string(APPEND body "const std::vector<MigrationFile>& embeddedMigrations() {\n    static const std::vector<MigrationFile> files = {\n")
foreach(f ${sqls})
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  string(APPEND body "        {\"${name}\", R\"duegate_sql(${text})duegate_sql\"},\n")
endforeach()
string(APPEND body "    };\n    return files;\n}\n\n}  // namespace duegate::store\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
