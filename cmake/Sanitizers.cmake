# NENDB_SANITIZE=address;undefined | thread: instruments everything built here.
set(NENDB_SANITIZE "" CACHE STRING "Sanitizers: address, undefined, thread (;-separated)")
if(NENDB_SANITIZE)
  list(JOIN NENDB_SANITIZE "," _nendb_san)
  add_compile_options(-fsanitize=${_nendb_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_nendb_san})
  message(STATUS "nendb: sanitizers ${_nendb_san}")
endif()
