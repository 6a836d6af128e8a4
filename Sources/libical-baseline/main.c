#include <stdio.h>
int main(void) { puts("libical-baseline: being written"); return 0; }
