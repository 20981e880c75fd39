"""The live workshop room (`padtool workshop serve`): teams answer in a browser, the trainer's
page shows the room. Imported only by that command: the web stack stays out of every other
command's start-up."""
