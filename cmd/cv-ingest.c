#include "diag.h"
int main(int argc, char **argv) { (void)argc; cv_setprog(argv[0]); return 0; }
