from agreements.entry import main

main()
