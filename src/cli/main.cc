// Entry point of the `nendb` command-line tool.
#include <cstdio>

int main(int argc, char** argv) {
  std::fputs("nendb: no commands yet\n", stderr);
  return 2;
}
