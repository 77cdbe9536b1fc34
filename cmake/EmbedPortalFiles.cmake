# cmake -DOUT=file.cpp -DROOT=portal -P EmbedPortalFiles.cmake
# Writes a .cpp defining duegate::portal::embeddedPortalFiles(): every portal/templates/*.mustache
# and portal/i18n/*.ini by path relative to ROOT ("templates/debtor.mustache", "i18n/fr.ini"), so
# the binary carries its pages and their three languages (no files needed next to it).
file(GLOB_RECURSE files RELATIVE "${ROOT}" "${ROOT}/templates/*.mustache" "${ROOT}/templates/*.css" "${ROOT}/i18n/*.ini")
list(SORT files)
set(body "// Generated from portal/templates and portal/i18n by cmake/EmbedPortalFiles.cmake. Do not edit.\n")
string(APPEND body "#include \"portal/EmbeddedFiles.h\"\n\nnamespace duegate::portal {\n\n")
string(APPEND body "const std::vector<EmbeddedFile>& embeddedPortalFiles() {\n    static const std::vector<EmbeddedFile> files = {\n")
foreach(f ${files})
  file(READ "${ROOT}/${f}" text)
  string(APPEND body "        {\"${f}\", R\"duegate_portal(${text})duegate_portal\"},\n")
endforeach()
string(APPEND body "    };\n    return files;\n}\n\n}  // namespace duegate::portal\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
