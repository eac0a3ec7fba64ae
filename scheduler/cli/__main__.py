"""python -m scheduler.cli"""
from . import main

main()
