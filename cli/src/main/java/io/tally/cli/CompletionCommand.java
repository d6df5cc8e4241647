package io.tally.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code tally completion}: a bash (and zsh) completion script for every command and option. */
@Command(
    name = "completion",
    description = {
      "Print a bash completion script for tally (zsh: after `autoload -U +X bashcompinit &&"
          + " bashcompinit`).",
      "Load it with: source <(./tally completion), or save it to" + " /etc/bash_completion.d/tally."
    })
final class CompletionCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(AutoComplete.bash("tally", spec.root().commandLine()));
    out.flush();
    return 0;
  }
}
