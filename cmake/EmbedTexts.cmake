# cmake -DOUT=file.cpp -DROOT=config -P EmbedTexts.cmake
# Writes a .cpp defining duegate::core::embeddedTexts(): every config/templates/<lang>/*.mustache
# and config/policies/*.ini, by path relative to ROOT, so the binary carries its message texts and
# shipped dunning policies (like the migrations) and a directory named in config only overrides.
file(GLOB_RECURSE files RELATIVE "${ROOT}" "${ROOT}/templates/*.mustache" "${ROOT}/policies/*.ini")
list(SORT files)
set(body "// Generated from config/templates and config/policies by cmake/EmbedTexts.cmake. Do not edit.\n")
string(APPEND body "#include \"gateway/core/templates/EmbeddedTexts.h\"\n\nnamespace duegate::core {\n\n")
string(APPEND body "const std::vector<EmbeddedText>& embeddedTexts() {\n    static const std::vector<EmbeddedText> files = {\n")
foreach(f ${files})
  file(READ "${ROOT}/${f}" text)
  string(APPEND body "        {\"${f}\", R\"duegate_text(${text})duegate_text\"},\n")
endforeach()
string(APPEND body "    };\n    return files;\n}\n\n}  // namespace duegate::core\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
