# Helpers shared by the platform, the services and the tests.

# microstore_test(<name> SOURCES ... [LIBS ...] [LABELS ...])
# A GoogleTest executable registered with ctest. Tests whose name ends in `_pgtest` need a real
# PostgreSQL: they read MICROSTORE_TEST_PG_URL and are labelled `pg`; those ending in `_amqptest`
# need a real RabbitMQ (MICROSTORE_TEST_AMQP_URL) and are labelled `amqp`.
function(microstore_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} microstore::testing GTest::gtest_main GTest::gmock microstore_warnings)
  set(labels ${ARG_LABELS})
  if(name MATCHES "_pgtest$")
    list(APPEND labels pg)
  elseif(name MATCHES "_amqptest$")
    list(APPEND labels amqp)
  else()
    list(APPEND labels unit)
  endif()
  add_test(NAME ${name} COMMAND ${name} --gtest_brief=1)
  set_tests_properties(${name} PROPERTIES LABELS "${labels}" TIMEOUT 300)
endfunction()

# microstore_embed_migrations(<target> <directory> [FUNCTION <qualified::name>])
# Compiles the directory's numbered `NNNN_name.sql` files into <target>, so a service binary
# carries its own schema. The generated function is
#   const std::vector<microstore::migrations::Migration>& <name>()
# where <name> is FUNCTION (e.g. microstore::catalog::Migrations, declared by the service's own
# header, so a service library can hand its schema to main() and tests), or else
# <target>_migrations with characters that cannot stand in a C++ name turned into '_'
# (microstore-ping → microstore_ping_migrations), declared by including "embedded_migrations.hpp"
# from <target>'s sources. Adding or editing a file re-runs the generator.
function(microstore_embed_migrations target dir)
  cmake_parse_arguments(ARG "" "FUNCTION" "" ${ARGN})
  file(GLOB files CONFIGURE_DEPENDS "${dir}/[0-9]*.sql")
  list(SORT files)
  if(ARG_FUNCTION)
    set(symbol "${ARG_FUNCTION}")
  else()
    string(MAKE_C_IDENTIFIER "${target}_migrations" symbol)
  endif()
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_migrations")
  set(out "${out_dir}/embedded_migrations.cpp")
  add_custom_command(
    OUTPUT "${out}" "${out_dir}/embedded_migrations.hpp"
    COMMAND ${CMAKE_COMMAND} -DOUT_DIR=${out_dir} -DSYMBOL=${symbol}
            "-DFILES=${files}" -P "${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake"
    DEPENDS ${files} "${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake"
    COMMENT "Embedding migrations of ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
  target_include_directories(${target} PRIVATE "${out_dir}")
endfunction()
