# Helpers shared by the platform, the services and the tests.

# microstore_test(<name> SOURCES ... [LIBS ...] [LABELS ...] [RUNS <binary target>])
# A GoogleTest executable registered with ctest. Tests whose name ends in `_pgtest` need a real
# PostgreSQL: they read MICROSTORE_TEST_PG_URL and are labelled `pg`; those ending in `_amqptest`
# need a real RabbitMQ (MICROSTORE_TEST_AMQP_URL) and are labelled `amqp`. RUNS microstore-<x>:
# the test starts that binary, built first and named by MICROSTORE_<X>_BINARY.
function(microstore_test name)
  cmake_parse_arguments(ARG "" "RUNS" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  if(ARG_RUNS)
    string(REGEX REPLACE "^microstore-" "" runs "${ARG_RUNS}")
    string(TOUPPER "${runs}" runs)
    target_compile_definitions(${name} PRIVATE MICROSTORE_${runs}_BINARY="$<TARGET_FILE:${ARG_RUNS}>")
    add_dependencies(${name} ${ARG_RUNS})
  endif()
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

# microstore_domain(<target> SOURCES ...)
# A service's domain/ as its own static library: it links only microstore::core (whose include
# path holds nothing but the pure core's headers), and every file is compiled with
# cmake/pure-domain/guard.hpp forced in and BOOST_USER_CONFIG pointing at an #error, so
# including Boost, nlohmann, spdlog, prometheus-cpp, rabbitmq-c or libpq breaks the build
# (tests/layering checks that it does).
set(MICROSTORE_PURE_DOMAIN_OPTIONS
  -include "${PROJECT_SOURCE_DIR}/cmake/pure-domain/guard.hpp"
  "-DBOOST_USER_CONFIG=\"${PROJECT_SOURCE_DIR}/cmake/pure-domain/boost_user_config.hpp\"")
function(microstore_domain target)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  add_library(${target} STATIC ${ARG_SOURCES})
  target_compile_options(${target} PRIVATE ${MICROSTORE_PURE_DOMAIN_OPTIONS})
  target_link_libraries(${target} PUBLIC microstore::core PRIVATE microstore_warnings)
endfunction()

# microstore_service(<name> [DOMAIN ...] SOURCES ... [LIBS ...])
# A service in services/<name>. DOMAIN (its domain/*.cpp) is the pure library
# microstore_<name>_domain (microstore_domain() above); SOURCES (app/, api/, infra/) the static
# library microstore_<name>, which links it and the platform, so its tests and the cross-service
# tests (the authorization matrix) can link it. Headers are included by the service's name
# ("order/domain/saga.hpp": the include root is services/). Its migrations/ are embedded as
# microstore::<name>::Migrations() (declared by the service's infra/ header); main.cpp becomes the
# binary microstore-<name>.
function(microstore_service name)
  cmake_parse_arguments(ARG "" "" "DOMAIN;SOURCES;LIBS" ${ARGN})
  set(include_root "${CMAKE_CURRENT_SOURCE_DIR}/..")
  if(ARG_DOMAIN)
    microstore_domain(microstore_${name}_domain SOURCES ${ARG_DOMAIN})
    target_include_directories(microstore_${name}_domain PUBLIC "${include_root}")
  else()
    add_library(microstore_${name}_domain INTERFACE)
  endif()
  add_library(microstore_${name} STATIC ${ARG_SOURCES})
  target_include_directories(microstore_${name} PUBLIC "${include_root}")
  target_link_libraries(microstore_${name} PUBLIC microstore_${name}_domain microstore::platform
    PRIVATE ${ARG_LIBS} microstore_warnings)
  microstore_embed_migrations(microstore_${name} "${CMAKE_CURRENT_SOURCE_DIR}/migrations"
                              FUNCTION microstore::${name}::Migrations)
  add_executable(microstore-${name} main.cpp)
  target_link_libraries(microstore-${name} PRIVATE microstore_${name} microstore_warnings)
endfunction()
