// tag::module[]
module com.example.hello {
  requires dev.codepilot;
  // end::module[]
  // Only to list the providers below; an application that just runs agents needs no uses.
  uses dev.codepilot.model.ChatModelProvider;
}
